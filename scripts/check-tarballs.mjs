// pnpm check:tarballs: the five packages as users get them. Builds them, packs each with `pnpm pack`
// into a temporary directory, checks that no `workspace:` range survived, installs the tarballs with npm
// into a scratch project outside the workspace (the real dependencies come from the registry), then:
// an ESM file and a CommonJS file that import every package and its ./testing and make one real round
// trip per package against its fake server, and TypeScript consumers type-checked with module node16 and
// with bundler resolution. The working tree is not touched (beyond the build's git-ignored dist/).
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { consumerFiles } from './tarball-consumer/consumer-files.mjs'

const root = resolve(import.meta.dirname, '..')
const packages = ['transport', 'ftp', 'smtp', 'pop3', 'nntp']
const keep = process.argv.includes('--keep')
const scratch = mkdtempSync(join(tmpdir(), 'netc-tarballs-'))
const failures = []

function step(name, action) {
  process.stdout.write(`check:tarballs: ${name}\n`)
  try {
    action()
  } catch (error) {
    failures.push(name)
    process.stdout.write(`check:tarballs: ${name}: FAILED\n${error instanceof Error ? error.message : String(error)}\n`)
  }
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 300_000, ...options })
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited ${result.status ?? result.signal}\n${result.stdout ?? ''}${result.stderr ?? ''}`)
  }
  return result.stdout
}

function pack(name, destination) {
  const output = run('pnpm', ['pack', '--pack-destination', destination, '--json'], { cwd: join(root, 'packages', name) })
  const tarball = JSON.parse(output).filename
  const manifest = JSON.parse(execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }))
  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
    for (const [dependency, range] of Object.entries(manifest[field] ?? {})) {
      if (String(range).startsWith('workspace:')) throw new Error(`${manifest.name}: ${field}.${dependency} is still "${range}"`)
    }
  }
  process.stdout.write(`  ${manifest.name}@${manifest.version} ${JSON.stringify(manifest.dependencies ?? {})}\n`)
  return tarball
}

function main() {
  const tarballs = []
  step('build', () => {
    const filters = packages.flatMap((name) => ['--filter', `@netc/${name}`])
    run('pnpm', ['turbo', 'run', 'build', ...filters, '--output-logs=errors-only'], { cwd: root, stdio: 'inherit' })
  })
  if (failures.length > 0) return
  const packDirectory = join(scratch, 'tarballs')
  mkdirSync(packDirectory)
  step('pnpm pack (no workspace: ranges left)', () => {
    for (const name of packages) tarballs.push(pack(name, packDirectory))
  })
  if (failures.length > 0) return

  const project = join(scratch, 'consumer')
  mkdirSync(project)
  const typesNode = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).devDependencies['@types/node']
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'netc-tarball-consumer', private: true, version: '0.0.0' }, null, 2))
  for (const [file, text] of Object.entries(consumerFiles)) writeFileSync(join(project, file), text)
  step('npm install the tarballs', () => {
    run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs, 'selfsigned@^5', `@types/node@${typesNode}`], { cwd: project })
  })
  if (failures.length > 0) return

  step('ESM import and round trips', () => process.stdout.write(run(process.execPath, ['consumer.mjs'], { cwd: project })))
  step('CommonJS require and round trips', () => process.stdout.write(run(process.execPath, ['consumer.cjs'], { cwd: project })))
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc')
  step('tsc, module node16', () => run(process.execPath, [tsc, '-p', 'tsconfig.node16.json'], { cwd: project }))
  step('tsc, bundler resolution', () => run(process.execPath, [tsc, '-p', 'tsconfig.bundler.json'], { cwd: project }))
}

try {
  main()
} finally {
  if (keep) process.stdout.write(`check:tarballs: kept ${scratch}\n`)
  else rmSync(scratch, { recursive: true, force: true })
}
if (failures.length > 0) {
  process.stdout.write(`check:tarballs: ${failures.length} failed (${failures.join('; ')})\n`)
  process.exit(1)
}
process.stdout.write('check:tarballs: all packages install, import (ESM, CommonJS), run and type-check from their tarballs\n')
