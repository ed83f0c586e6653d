/**
 * The latest figures of every benchmark, kept in `bench/figures.json` and shown in the README's
 * table, which is generated from that file (`npm run docs`; a test fails when they differ), so
 * the figures and the table cannot drift. `npm run bench -- --save` merges a run's results in
 * by name: a figure keeps the date and the machine of the run that measured it, so a run of
 * one suite (`--only=cold --save`) refreshes only that suite's rows.
 */
import { accessSync, constants, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem, type as osType } from 'node:os';
import type { BenchResult } from './measure.js';

export interface Machine {
  /** Cores, CPU model, memory, whether QEMU can use KVM, Node, the kernel. */
  description: string;
}

export interface Figure {
  name: string;
  suite: string;
  value: number;
  unit: string;
  /** Absent for a comparison with another tool (`peer`). */
  target?: number;
  pass?: boolean;
  peer?: boolean;
  detail?: string;
  /** The day of the run (UTC) and the one-minute load average when the suite began. */
  measured: string;
  load: number;
  machine: string;
}

export interface FiguresFile {
  machines: Record<string, Machine>;
  figures: Figure[];
}

function kvmUsable(): boolean {
  try {
    accessSync('/dev/kvm', constants.R_OK | constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * This machine, as a figure names it: the same machine always gets the same key. `qemuUsesKvm`
 * is what twinbox's QEMU plugin found (a /dev/kvm that QEMU cannot run a vCPU with is no KVM);
 * without it, whether /dev/kvm may be opened.
 */
export function thisMachine(qemuUsesKvm?: boolean): { key: string; machine: Machine } {
  const model = cpus()[0]?.model.replace(/\s+/g, ' ').trim() ?? 'unknown CPU';
  const kvm = qemuUsesKvm ?? kvmUsable();
  const description = `${cpus().length} cores (${model}), ${Math.round(totalmem() / 2 ** 30)} GiB, ${kvm ? 'KVM' : 'no usable KVM (QEMU under TCG)'}, Node ${process.versions.node}, ${osType()} ${release()}`;
  let hash = 0;
  for (const char of description) hash = (Math.imul(hash, 31) + char.charCodeAt(0)) >>> 0;
  return { key: `m${hash.toString(16).padStart(8, '0')}`, machine: { description } };
}

export function currentLoad(): number {
  return Math.round(loadavg()[0]! * 10) / 10;
}

export function readFigures(file: string): FiguresFile {
  if (!existsSync(file)) return { machines: {}, figures: [] };
  return JSON.parse(readFileSync(file, 'utf8')) as FiguresFile;
}

/** The file with this run's results in place of the figures of the same names. */
export function mergeFigures(file: FiguresFile, results: Array<{ suite: string; load: number; result: BenchResult }>, now: Date, qemuUsesKvm?: boolean): FiguresFile {
  const { key, machine } = thisMachine(qemuUsesKvm);
  const fresh: Figure[] = results.map(({ suite, load, result }) => ({
    name: result.name,
    suite,
    value: result.value,
    unit: result.unit,
    ...(result.informative ? { peer: true } : { target: result.target, pass: result.pass }),
    ...(result.detail ? { detail: result.detail } : {}),
    measured: now.toISOString().slice(0, 10),
    load,
    machine: key,
  }));
  // A figure measured again keeps its place; one new to the file goes after its suite's others.
  const figures = [...file.figures];
  for (const figure of fresh) {
    const same = figures.findIndex((other) => other.name === figure.name);
    if (same !== -1) {
      figures[same] = figure;
      continue;
    }
    const last = figures.map((other) => other.suite).lastIndexOf(figure.suite);
    figures.splice(last === -1 ? figures.length : last + 1, 0, figure);
  }
  const used = new Set(figures.map((figure) => figure.machine));
  const machines = Object.fromEntries(Object.entries({ ...file.machines, [key]: machine }).filter(([id]) => used.has(id)));
  return { machines, figures };
}

export function writeFigures(path: string, file: FiguresFile): void {
  writeFileSync(path, `${JSON.stringify(file, null, 2)}\n`);
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function shown(figure: Figure): string {
  const value = `${figure.value}${figure.unit}`;
  if (figure.peer || figure.pass) return value;
  return `**${value}, over target**`;
}

/** The README's benchmark tables, from the figures file alone. */
export function figuresMarkdown(file: FiguresFile): string {
  const machineIds = Object.keys(file.machines);
  const label = (id: string) => (machineIds.length === 1 ? '' : ` on ${String.fromCharCode(65 + machineIds.indexOf(id))}`);
  const when = (figure: Figure) => `${figure.measured}${label(figure.machine)}, load ${figure.load}`;
  const lines: string[] = [];
  if (file.figures.length === 0) return 'No figures saved yet: `npm run bench -- --save`, then `npm run docs`.\n';
  lines.push(machineIds.length === 1 ? `Machine: ${file.machines[machineIds[0]!]!.description}.` : 'Machines:');
  if (machineIds.length > 1) for (const [index, id] of machineIds.entries()) lines.push(`- ${String.fromCharCode(65 + index)}: ${file.machines[id]!.description}`);
  lines.push('');
  lines.push('| benchmark | target | latest | measured |', '| --- | --- | --- | --- |');
  for (const figure of file.figures.filter((figure) => !figure.peer)) {
    lines.push(`| ${cell(figure.name)} | ≤ ${figure.target}${figure.unit} | ${shown(figure)}${figure.detail ? ` (${cell(figure.detail)})` : ''} | ${when(figure)} |`);
  }
  const peers = file.figures.filter((figure) => figure.peer);
  if (peers.length > 0) {
    lines.push(
      '',
      "Comparisons without a target of ours: twinbox beside the tools users would pick instead (twinbox ÷ peer), and the floors under its own figures (the smallest Ink program, Ink's own renderers); each side's median with its range:",
      '',
    );
    lines.push('| comparison | ratio | twinbox, peer | measured |', '| --- | --- | --- | --- |');
    for (const figure of peers) lines.push(`| ${cell(figure.name)} | ${figure.value}${figure.unit} | ${cell(figure.detail ?? '')} | ${when(figure)} |`);
  }
  return `${lines.join('\n')}\n`;
}

const START = '<!-- bench:start (generated from bench/figures.json by `npm run docs`) -->';
const END = '<!-- bench:end -->';

/** README.md with its benchmark tables put back from the figures; undefined without the markers. */
export function readmeWithFigures(readme: string, file: FiguresFile): string | undefined {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start === -1 || end < start) return undefined;
  return `${readme.slice(0, start + START.length)}\n${figuresMarkdown(file)}${readme.slice(end)}`;
}
