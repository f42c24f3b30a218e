/**
 * Features: what FEAT advertised (RFC 2389 section 3.2): feature names in upper case, each with its
 * parameters (`''` when none).
 *
 * ```
 * S: 211-Features:
 * S:  MLST type*;size*;modify*;
 * S:  UTF8
 * S: 211 End
 * → Map { 'MLST' => 'type*;size*;modify*;', 'UTF8' => '' }
 * ```
 */
export type Features = ReadonlyMap<string, string>

/**
 * parseFeat: the features in the lines of a 211 FEAT reply (the `lines` of a CodedReply). Feature lines
 * start with a space; the first and last lines are free text. Never throws: a line without a leading
 * space (a lax server) is read as a feature too, unless it is the first or the last.
 */
export function parseFeat(lines: readonly string[]): Features {
  const features = new Map<string, string>()
  const inner = lines.length > 2 ? lines.slice(1, -1) : []
  for (const line of inner) {
    const text = line.trim()
    if (text === '') continue
    const space = text.indexOf(' ')
    const name = (space === -1 ? text : text.slice(0, space)).toUpperCase()
    const parameters = space === -1 ? '' : text.slice(space + 1).trim()
    features.set(name, parameters)
  }
  return features
}
