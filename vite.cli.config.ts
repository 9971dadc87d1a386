import { chmodSync } from 'node:fs'
import { resolve } from 'node:path'
import { defineConfig } from 'vite'

// The headless `plex-login` command: one self-contained ESM file for plain Node, with its
// dependencies bundled so it starts fast and runs from an installer without node_modules.
export default defineConfig({
  build: {
    ssr: resolve('src/main/cli/plex-login.ts'),
    outDir: 'out/cli',
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    rolldownOptions: {
      output: { format: 'es', entryFileNames: 'plex-login.js', banner: '#!/usr/bin/env node' }
    }
  },
  ssr: { noExternal: true, target: 'node' },
  plugins: [
    {
      name: 'make-executable',
      writeBundle: () => chmodSync(resolve('out/cli/plex-login.js'), 0o755)
    }
  ]
})
