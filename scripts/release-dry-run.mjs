// pnpm release:dry-run: a changesets release rehearsed on a temporary copy of the repository (tracked
// and untracked-but-not-ignored files, as they are now; the working tree is never written to).
// 1. `changeset version` on the copy: prints each package's old → new version and checks that the
//    private apps are not versioned.
// 2. A second round with one extra patch changeset for @netc/pop3 alone: only pop3 moves, which shows
//    that each package is on its own semver line.
// 3. `pnpm publish --dry-run` for each package, with the registry pointed at a closed local port: nothing
//    can be uploaded. (`changeset publish` has no dry-run flag and asks the registry which versions exist,
//    so the rehearsal calls the publish step it would run, package by package.)
import { execFileSync, spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'

const root = resolve(import.meta.dirname, '..')
const packages = ['transport', 'ftp', 'smtp', 'pop3', 'nntp']
const nowhere = 'http://127.0.0.1:9/'
const scratch = mkdtempSync(join(tmpdir(), 'netc-release-'))
const copy = join(scratch, 'repo')
const problems = []

function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 300_000 })
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status ?? result.signal}\n${result.stdout}${result.stderr}`)
  return result.stdout + result.stderr
}

function versions() {
  const found = {}
  for (const group of ['packages', 'apps']) {
    for (const name of readdirSync(join(copy, group))) {
      const file = join(copy, group, name, 'package.json')
      if (!existsSync(file)) continue
      const manifest = JSON.parse(readFileSync(file, 'utf8'))
      found[manifest.name] = { version: manifest.version, private: manifest.private === true, group, dependencies: manifest.dependencies ?? {} }
    }
  }
  return found
}

function changesetVersion(label) {
  const before = versions()
  run(process.execPath, [join(root, 'node_modules', '@changesets', 'cli', 'bin.js'), 'version'], copy)
  const after = versions()
  console.log(`\nchangeset version (${label}):`)
  for (const [name, { version, private: isPrivate }] of Object.entries(after)) {
    const old = before[name]?.version
    console.log(`  ${name.padEnd(18)} ${old} → ${version}${isPrivate ? ' (private)' : ''}`)
    if (isPrivate && old !== version) problems.push(`${name} is private but was versioned ${old} → ${version}`)
  }
  for (const [name, { group }] of Object.entries(after)) {
    if (group === 'apps' && existsSync(join(copy, 'apps', name.split('/')[1] ?? '', 'CHANGELOG.md'))) problems.push(`${name} got a CHANGELOG`)
  }
  return { before, after }
}

function copyRepository() {
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' })
  for (const file of files.split('\0').filter(Boolean)) {
    if (!existsSync(join(root, file))) continue
    mkdirSync(dirname(join(copy, file)), { recursive: true })
    cpSync(join(root, file), join(copy, file))
  }
  // The built files (git-ignored) are what `pnpm publish` would pack.
  for (const name of packages) cpSync(join(root, 'packages', name, 'dist'), join(copy, 'packages', name, 'dist'), { recursive: true })
  // `pnpm publish` reads a workspace dependency's version from its node_modules link: make just those
  // links (no install).
  for (const name of packages) {
    const manifest = JSON.parse(readFileSync(join(copy, 'packages', name, 'package.json'), 'utf8'))
    for (const [dependency, range] of Object.entries(manifest.dependencies ?? {})) {
      if (!String(range).startsWith('workspace:')) continue
      const link = join(copy, 'packages', name, 'node_modules', dependency)
      mkdirSync(dirname(link), { recursive: true })
      symlinkSync(join(copy, 'packages', dependency.replace('@netc/', '')), link, 'dir')
    }
  }
}

function publishDryRun(expected) {
  console.log('\npnpm publish --dry-run (registry: a closed local port):')
  for (const name of packages) {
    const output = run('pnpm', ['publish', '--dry-run', '--no-git-checks', '--ignore-scripts', '--registry', nowhere, '--json'], join(copy, 'packages', name))
    const start = output.indexOf('{')
    const summary = JSON.parse(output.slice(start, output.lastIndexOf('}') + 1))
    const want = expected[`@netc/${name}`]?.version
    console.log(`  ${summary.name}@${summary.version}: ${summary.files?.length ?? '?'} files`)
    if (summary.version !== want) problems.push(`${summary.name}: publish would use ${summary.version}, expected ${want}`)
  }
}

try {
  run('pnpm', ['turbo', 'run', 'build', ...packages.flatMap((name) => ['--filter', `@netc/${name}`]), '--output-logs=errors-only'], root)
  copyRepository()
  const first = changesetVersion('the pending changesets')
  for (const [name, { version, dependencies }] of Object.entries(first.after)) {
    for (const [dependency, range] of Object.entries(dependencies)) {
      if (first.after[dependency] && !String(range).startsWith('workspace:')) problems.push(`${name}: ${dependency} range rewritten in the repository to ${range}`)
    }
    if (!first.after[name].private && version === first.before[name].version) console.log(`  (${name} had no changeset)`)
  }
  writeFileSync(join(copy, '.changeset', 'dry-run-pop3-only.md'), '---\n"@netc/pop3": patch\n---\n\nA pop3-only fix (dry run).\n')
  const second = changesetVersion('one more patch changeset, for @netc/pop3 only')
  for (const [name, { version }] of Object.entries(second.after)) {
    const moved = version !== second.before[name].version
    if (name === '@netc/pop3' && !moved) problems.push('@netc/pop3 did not move with its own changeset')
    if (name !== '@netc/pop3' && moved) problems.push(`${name} moved with a changeset for @netc/pop3 only`)
  }
  publishDryRun(second.after)
} catch (error) {
  problems.push(error instanceof Error ? error.message : String(error))
} finally {
  rmSync(scratch, { recursive: true, force: true })
}

if (problems.length > 0) {
  console.error(`\nrelease:dry-run: ${problems.length} problem(s):\n  ${problems.join('\n  ')}`)
  process.exit(1)
}
console.log('\nrelease:dry-run: independent versions, apps not versioned, every package publishable (nothing uploaded)')
