import { readFileSync } from 'node:fs'

/** fixture: a file from src/__fixtures__ (captured from real servers, or written from their documented output). */
export function fixture(name: string): string {
  return readFileSync(new URL(`./${name}`, import.meta.url), 'latin1')
}

/** fixtureReplies: a JSON file of replies captured with Python's ftplib from a real server. */
export function fixtureReplies(name: string): Record<string, string> {
  return JSON.parse(fixture(name)) as Record<string, string>
}
