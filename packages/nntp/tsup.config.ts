import { defineConfig } from 'tsup'
import { libraryConfig } from '../../tsup.shared.ts'

// shims: the CJS build needs `import.meta.url` for the lazy `createRequire` of libmime (decode-header.ts).
export default defineConfig({ ...libraryConfig, shims: true })
