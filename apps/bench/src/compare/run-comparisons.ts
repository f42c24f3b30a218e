import type { BenchMode, Comparison, ContenderResult } from './comparison.ts'
import { measureCommand, type CommandMeasurement } from './measure-command.ts'

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length === 0 ? Number.NaN : sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

/** runOrder: the contenders in their order on even runs, reversed on odd ones. */
export function runOrder<T>(contenders: readonly T[], run: number): readonly T[] {
  return run % 2 === 0 ? contenders : [...contenders].reverse()
}

/**
 * runComparison: sets the comparison up, runs every contender `runs` times in turn (interleaved, so that a
 * noisy moment hurts all of them alike), verifies each run's output, and returns the medians with ratios
 * to the baseline. The order turns round on every other run (A B C, C B A, ...): a machine getting
 * quieter or busier during the comparison, or a server that warms up (INN's posting got faster run after
 * run), would otherwise favour whoever always goes last. A contender that fails is reported with its
 * failure, not dropped silently.
 */
export async function runComparison<Context>(
  comparison: Comparison<Context>,
  mode: BenchMode,
  runs: number,
  log: (line: string) => void,
): Promise<ContenderResult[]> {
  const context = await comparison.setup(mode)
  const measured = new Map<string, CommandMeasurement[]>(comparison.contenders.map((c) => [c.name, []]))
  const failures = new Map<string, string>()
  const timeoutMs = mode === 'quick' ? 120_000 : 600_000
  try {
    for (let run = 0; run < runs; run++) {
      for (const contender of runOrder(comparison.contenders, run)) {
        if (failures.has(contender.name)) continue
        try {
          await comparison.beforeRun?.(context, contender.name)
          const measurement = await measureCommand(contender.command(context), timeoutMs)
          await comparison.verify(context, contender.name, measurement.output)
          measured.get(contender.name)?.push(measurement)
          log(`  ${comparison.name} ${contender.name}: ${measurement.output.workMs.toFixed(0)} ms`)
        } catch (error) {
          failures.set(contender.name, error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error))
          log(`  ${comparison.name} ${contender.name}: FAILED ${failures.get(contender.name) ?? ''}`)
        }
      }
    }
  } finally {
    await comparison.teardown(context)
  }
  const results = comparison.contenders.map((contender): ContenderResult => {
    const list = measured.get(contender.name) ?? []
    const failure = failures.get(contender.name)
    return {
      comparison: comparison.name,
      group: comparison.group,
      contender: contender.name,
      runs: list.length,
      workMs: median(list.map((m) => m.output.workMs)),
      processMs: median(list.map((m) => m.processMs)),
      cpuMs: median(list.map((m) => m.cpuMs)),
      maxRssMiB: Math.max(0, ...list.map((m) => m.maxRssMiB)),
      ...workCpu(list),
      workRatio: null,
      cpuRatio: null,
      ...(failure === undefined ? {} : { failure }),
    }
  })
  const baseline = results.find((r) => r.contender === comparison.baseline)
  for (const result of results) {
    if (baseline && baseline.runs > 0 && result.runs > 0) {
      result.workRatio = result.workMs / baseline.workMs
      result.cpuRatio = result.cpuMs / baseline.cpuMs
    }
  }
  return results
}

/** The medians of the in-process CPU figures, when every run reported one. */
function workCpu(list: readonly CommandMeasurement[]): Pick<ContenderResult, 'workCpuMs' | 'cpuPerOpMs'> {
  const cpu = list.map((m) => m.output.workCpuMs)
  if (list.length === 0 || cpu.some((ms) => typeof ms !== 'number')) return { workCpuMs: null, cpuPerOpMs: null }
  const perOp = list.map((m) => (typeof m.output.ops === 'number' && m.output.ops > 0 ? (m.output.workCpuMs as number) / m.output.ops : Number.NaN))
  const cpuPerOpMs = median(perOp)
  return { workCpuMs: median(cpu as number[]), cpuPerOpMs: Number.isNaN(cpuPerOpMs) ? null : cpuPerOpMs }
}

/**
 * formatComparison: one table per comparison: work time, process time, CPU, peak RSS, ratios to netc;
 * and the in-process CPU of the work and per operation when contenders report it.
 */
export function formatComparison(title: string, results: readonly ContenderResult[]): string {
  const inProcess = results.some((r) => r.workCpuMs !== null)
  const rows = results.map((r) => [
    r.contender,
    r.runs > 0 ? `${r.workMs.toFixed(0)} ms` : '-',
    r.runs > 0 ? `${r.processMs.toFixed(0)} ms` : '-',
    r.runs > 0 ? `${r.cpuMs.toFixed(0)} ms` : '-',
    ...(inProcess ? [r.workCpuMs === null ? '-' : `${r.workCpuMs.toFixed(0)} ms`, r.cpuPerOpMs === null ? '-' : `${r.cpuPerOpMs.toFixed(3)} ms`] : []),
    r.runs > 0 ? `${r.maxRssMiB.toFixed(0)} MiB` : '-',
    r.workRatio === null ? '-' : `${r.workRatio.toFixed(2)}x`,
    r.cpuRatio === null ? '-' : `${r.cpuRatio.toFixed(2)}x`,
    r.failure === undefined ? '' : `failed: ${r.failure.slice(0, 60)}`,
  ])
  const header = ['contender', 'work', 'process', 'cpu', ...(inProcess ? ['work cpu', 'cpu/op'] : []), 'peak rss', 'x netc work', 'x netc cpu', '']
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)))
  const line = (cells: string[]): string => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ').trimEnd()
  return [title, line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n')
}
