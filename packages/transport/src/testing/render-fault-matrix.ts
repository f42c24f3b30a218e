import { readFile, writeFile } from 'node:fs/promises'
import { describeOutcome, faultCellName, isTested, type FaultCell } from './fault-matrix.ts'

/**
 * renderFaultMatrix: the markdown table of one protocol's cells, the one docs/RELIABILITY.md holds between
 * `<!-- fault-matrix:PROTOCOL -->` and `<!-- /fault-matrix:PROTOCOL -->`. Each protocol's matrix test
 * checks that the document holds exactly this table, so the two cannot drift.
 *
 * ```md
 * | phase | fault | outcome | test |
 * | greeting | stall | TimeoutError(greeting) | `pop3 › greeting › stall → TimeoutError(greeting)` |
 * ```
 */
export function renderFaultMatrix(protocol: string, cells: readonly FaultCell[], testFile: string): string {
  const rows = cells.map((cell) => {
    if (!isTested(cell)) return `| ${cell.phase} | ${cell.fault} | n/a | ${cell.notApplicable} |`
    const outcome = 'error' in cell.expected ? `${describeOutcome(cell.expected)} \`${cell.expected.code}\`` : 'completes'
    return `| ${cell.phase} | ${cell.fault} | ${outcome} | \`${faultCellName(protocol, cell)}\` |`
  })
  const tested = cells.filter(isTested).length
  return [
    `${tested} tests in \`${testFile}\`, ${cells.length - tested} cells n/a.`,
    '',
    '| phase | fault | outcome | test (or why n/a) |',
    '| --- | --- | --- | --- |',
    ...rows,
  ].join('\n')
}

/**
 * replaceMatrixSection: `document` with the section of `protocol` replaced by `table`; throws when the
 * markers are missing. A document is in step when `replaceMatrixSection(doc, p, table) === doc`.
 */
export function replaceMatrixSection(document: string, protocol: string, table: string): string {
  const start = `<!-- fault-matrix:${protocol} -->`
  const end = `<!-- /fault-matrix:${protocol} -->`
  const from = document.indexOf(start)
  const to = document.indexOf(end)
  if (from === -1 || to < from) throw new Error(`no ${start} ... ${end} section`)
  return `${document.slice(0, from + start.length)}\n${table}\n${document.slice(to)}`
}

/**
 * syncMatrixDocument: compares the section of `protocol` in the document at `document` with `table`;
 * returns undefined when they agree, else a message. With `NETC_WRITE_RELIABILITY=1` in the environment
 * it rewrites the section instead (the generator: run the matrix tests once with it set).
 */
export async function syncMatrixDocument(document: URL, protocol: string, table: string): Promise<string | undefined> {
  const text = await readFile(document, 'utf8')
  const wanted = replaceMatrixSection(text, protocol, table)
  if (wanted === text) return undefined
  if (process.env['NETC_WRITE_RELIABILITY'] === '1') {
    await writeFile(document, wanted)
    return undefined
  }
  return `the ${protocol} fault matrix in ${document.pathname.split('/').slice(-2).join('/')} is out of date: run the matrix tests with NETC_WRITE_RELIABILITY=1`
}
