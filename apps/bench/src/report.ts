import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { dirname } from 'node:path'
import { MiB, type BenchResult } from './bench-case.ts'
import type { ContenderResult } from './compare/comparison.ts'

/** withRatios: fills `ratioToFloor` from the floor case's throughput (when the floor was run too). */
export function withRatios(results: BenchResult[]): BenchResult[] {
  return results.map((result) => {
    const floor = results.find((other) => other.name === result.floor)
    return floor ? { ...result, ratioToFloor: floor.throughputMBps / result.throughputMBps } : result
  })
}

function formatSize(bytes: number): string {
  return bytes >= MiB ? `${(bytes / MiB).toFixed(bytes % MiB === 0 ? 0 : 1)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`
}

/** formatTable: the results as an aligned text table. */
export function formatTable(results: BenchResult[]): string {
  const header = ['name', 'size', 'median', 'runs', 'MB/s', 'x floor']
  const rows = results.map((result) => [
    result.name,
    formatSize(result.bytes),
    `${result.medianMs.toFixed(1)} ms`,
    String(result.runs),
    result.throughputMBps.toFixed(0),
    result.ratioToFloor === null ? '-' : `${result.ratioToFloor.toFixed(2)} (${result.floor})`,
  ])
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => row[column]!.length)))
  const line = (cells: string[]): string =>
    cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ')
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n')
}

/** writeJson: the results with the date, node version and CPU, to `path` (directories made as needed). */
export function writeJson(path: string, results: BenchResult[], mode: 'full' | 'quick', comparisons: readonly ContenderResult[] = []): void {
  const cpu = cpus()
  const report = {
    date: new Date().toISOString(),
    node: process.version,
    cpu: { model: cpu[0]?.model ?? 'unknown', cores: cpu.length },
    mode,
    results,
    comparisons,
  }
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`)
}
