/**
 * A question setup can put to the person at the screen in attended mode (MED-V's attended
 * first-time setup let the user see and answer the guest's mini-setup). Whoever renders setup
 * answers it; in unattended and silent mode, or without a terminal, the default is taken.
 */
export interface SetupPrompt {
  id: string;
  question: string;
  default: string;
  /** Why an answer is refused, or undefined when it is fine. */
  validate?: (answer: string) => string | undefined;
}

/** Returns the answer, or undefined to take the default. */
export type PromptAnswerer = (prompt: SetupPrompt) => Promise<string | undefined>;

export const takeDefaults: PromptAnswerer = async () => undefined;
