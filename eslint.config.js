// One flat config for the whole repository: typescript-eslint's type-aware rules everywhere, and the
// layering rule of DESIGN.md: only @netc/transport may touch sockets.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

const socketModules = ['net', 'node:net', 'tls', 'node:tls']

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/coverage/**', 'docs/api/**', '**/*.cjs', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/require-await': 'off',
      'no-console': 'error',
    },
  },
  {
    // The clients never touch sockets. The fake servers under src/testing are servers, not clients: an
    // FTP fake must listen for data connections, so they may.
    files: ['packages/*/src/**/*.ts'],
    ignores: ['packages/transport/**', 'packages/*/src/testing/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: socketModules.map((name) => ({
            name,
            message: 'Only @netc/transport touches sockets (DESIGN.md, layers). Use Connection or the connect seam.',
          })),
        },
      ],
    },
  },
  {
    files: ['**/*.test.ts', '**/*.test-d.ts', 'apps/**/*.ts', '**/testing/**/*.ts'],
    rules: {
      'no-console': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
)
