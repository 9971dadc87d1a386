import js from '@eslint/js'
import globals from 'globals'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': 'off'
    }
  },
  {
    files: ['src/renderer/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } }
  },
  {
    // The engine runs in plain Node (the CLI) and in tests: Electron stays out of it.
    files: [
      'src/main/plex/**',
      'src/main/login/**',
      'src/main/profiles/**',
      'src/main/servers/**',
      'src/main/jwt/**',
      'src/main/options/**',
      'src/main/cli/**',
      'src/shared/**'
    ],
    rules: {
      'no-restricted-imports': ['error', { paths: ['electron', 'electron-store'] }]
    }
  }
)
