import type { EventLoopLag } from './event-loop-lag.js';

/** The generator process's own resource use, cumulative since it started. */
export interface ProcessUsage {
  /** CPU time used, user plus system, in ms (divide a delta by wall time for the share of one core). */
  cpuMillis: number;
  /** Resident memory, in bytes. */
  rssBytes: number;
  /** 99th percentile event-loop delay over the last few seconds, in ms (timers run this late). */
  eventLoopLagP99Millis: number;
  /** Largest event-loop delay over the last few seconds, in ms. */
  eventLoopLagMaxMillis: number;
}

/** Reads the process's CPU time and memory now, with the event-loop lag `lag` measured. */
export function processUsage(lag: EventLoopLag): ProcessUsage {
  const cpu = process.cpuUsage();
  return {
    cpuMillis: (cpu.user + cpu.system) / 1000,
    rssBytes: process.memoryUsage.rss(),
    eventLoopLagP99Millis: lag.p99Millis,
    eventLoopLagMaxMillis: lag.maxMillis,
  };
}
