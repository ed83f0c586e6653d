/** The one-line reason of whatever was thrown, for messages that name a cause. */
export function reasonOf(error: unknown): string {
  if (error instanceof Error) return error.message.split('\n')[0] || error.name;
  return String(error);
}
