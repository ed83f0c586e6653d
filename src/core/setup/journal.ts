import { rm } from 'node:fs/promises';
import { readJson, writeJsonAtomic } from '../workspace/atomic-json.js';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type StepData = Record<string, JsonValue>;

export interface StepRecord {
  state: 'started' | 'done' | 'failed';
  /** Attempts that failed (an interrupted attempt is not counted: nothing said it failed). */
  failures: number;
  /** Times the step began, interrupted runs included. */
  runs: number;
  startedAt: string;
  finishedAt?: string;
  /** What the step produced or decided, kept so that a resumed run does not decide again. */
  data?: StepData;
  error?: { code: number; message: string };
}

interface JournalFile {
  format: 1;
  workspace: string;
  version: string;
  createdAt: string;
  updatedAt: string;
  steps: Record<string, StepRecord>;
}

/**
 * The setup journal: which steps are done and what they decided, rewritten atomically after
 * every change, so that setup killed at any point resumes where it stopped. A journal of
 * another version (an upgrade, a reinstall) is not resumed.
 */
export class SetupJournal {
  private constructor(
    private readonly file: string,
    private content: JournalFile,
    private readonly now: () => number,
  ) {}

  static async open(file: string, workspace: string, version: string, now: () => number): Promise<SetupJournal> {
    const stored = await readJson<JournalFile>(file);
    const usable = stored?.format === 1 && stored.workspace === workspace && stored.version === version && typeof stored.steps === 'object';
    const stamp = new Date(now()).toISOString();
    const content: JournalFile = usable ? stored : { format: 1, workspace, version, createdAt: stamp, updatedAt: stamp, steps: {} };
    return new SetupJournal(file, content, now);
  }

  static async discard(file: string): Promise<void> {
    await rm(file, { force: true });
  }

  step(id: string): StepRecord | undefined {
    const record = this.content.steps[id];
    return record ? { ...record } : undefined;
  }

  data(id: string): StepData | undefined {
    return this.content.steps[id]?.data;
  }

  /** Steps finished by earlier runs. */
  doneSteps(): string[] {
    return Object.entries(this.content.steps)
      .filter(([, record]) => record.state === 'done')
      .map(([id]) => id);
  }

  async started(id: string): Promise<StepRecord> {
    const previous = this.content.steps[id];
    const record: StepRecord = {
      state: 'started',
      failures: previous?.failures ?? 0,
      runs: (previous?.runs ?? 0) + 1,
      startedAt: this.stamp(),
      data: previous?.data,
    };
    await this.put(id, record);
    return record;
  }

  /** Merges into the step's data at once: a decision must survive a kill before the step ends. */
  async save(id: string, data: StepData): Promise<void> {
    const record = this.content.steps[id];
    if (!record) throw new Error(`journal: step ${id} has not started`);
    await this.put(id, { ...record, data: { ...record.data, ...data } });
  }

  async done(id: string, data?: StepData): Promise<void> {
    const record = this.content.steps[id]!;
    await this.put(id, { ...record, state: 'done', finishedAt: this.stamp(), data: data ? { ...record.data, ...data } : record.data, error: undefined });
  }

  async failed(id: string, error: { code: number; message: string }): Promise<StepRecord> {
    const record = this.content.steps[id]!;
    const updated: StepRecord = { ...record, state: 'failed', failures: record.failures + 1, finishedAt: this.stamp(), error };
    await this.put(id, updated);
    return updated;
  }

  private stamp(): string {
    return new Date(this.now()).toISOString();
  }

  private async put(id: string, record: StepRecord): Promise<void> {
    this.content = { ...this.content, updatedAt: this.stamp(), steps: { ...this.content.steps, [id]: record } };
    await writeJsonAtomic(this.file, this.content);
  }
}
