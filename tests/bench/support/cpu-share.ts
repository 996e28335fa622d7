/**
 * How much of the machine a measurement got, from Linux's /proc counters: the CPU time of this
 * process's ended children (job processes, reaped by Node) and the whole machine's busy time.
 * On a shared machine a speed-up is bounded by the cores the others left free; these say how
 * many that was, beside the wall time. Null fields off Linux.
 */
import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's counters (USER_HZ, 100 on every Linux port Node runs on). */
const TICKS_PER_SECOND = 100;

export interface CpuCounters {
  /** CPU seconds of this process's reaped children, user + system. */
  children: number;
  /** CPU seconds of this process itself. */
  self: number;
  /** Busy CPU seconds of the whole machine (every core, everything but idle and iowait). */
  machineBusy: number;
}

function procStatOfSelf(): { self: number; children: number } {
  const text = readFileSync('/proc/self/stat', 'utf8');
  // Fields after the command name (which may hold spaces) in parentheses.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // utime, stime, cutime, cstime are fields 14-17 of the line: 11-14 after the name and state.
  const tick = (i: number): number => Number(fields[i]) / TICKS_PER_SECOND;
  return { self: tick(11) + tick(12), children: tick(13) + tick(14) };
}

function machineBusySeconds(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  // cpu user nice system idle iowait irq softirq steal ...
  const [, ...values] = line.trim().split(/\s+/);
  const ticks = values.map(Number);
  const total = ticks.slice(0, 8).reduce((sum, t) => sum + t, 0);
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
  return (total - idle) / TICKS_PER_SECOND;
}

export function cpuCounters(): CpuCounters | null {
  try {
    return { ...procStatOfSelf(), machineBusy: machineBusySeconds() };
  } catch {
    return null;
  }
}

export interface CpuShare {
  /** CPU seconds the measured work (the children) used. */
  workCpuSeconds: number;
  /** Cores the work kept busy on average: its CPU seconds over the wall time. */
  workCores: number;
  /** Cores everything else on the machine kept busy meanwhile (other users, this process). */
  otherCores: number;
}

/** The share between two readings taken `wallSeconds` apart (the children ended in between). */
export function cpuShare(
  before: CpuCounters | null,
  after: CpuCounters | null,
  wallSeconds: number,
): CpuShare | null {
  if (!before || !after || wallSeconds <= 0) return null;
  const work = after.children - before.children;
  const machine = after.machineBusy - before.machineBusy;
  const round2 = (x: number): number => Math.round(x * 100) / 100;
  return {
    workCpuSeconds: round2(work),
    workCores: round2(work / wallSeconds),
    otherCores: round2(Math.max(0, machine - work) / wallSeconds),
  };
}
