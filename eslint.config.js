// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['out/', 'node_modules/', 'tests/fixtures/', 'resources/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] },
    },
  },
  {
    // Promises that nobody awaits lose their errors: main-side code must handle every one.
    files: ['src-main/**/*.ts', 'tests/**/*.ts'],
    languageOptions: {
      parserOptions: {
        // One program for main, tests and e2e (tsconfig.eslint.json): with the node and e2e
        // configs side by side every main file was parsed and bound twice (~15% of the lint).
        project: ['./tsconfig.eslint.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': [
        'error',
        { checksVoidReturn: { arguments: false } },
      ],
    },
  },
  {
    // Domain code is plain Node: the Electron shell is the only place that may import electron.
    files: [
      'src-main/domain/**',
      'src-main/server/**',
      'src-main/cli/**',
      'src-main/jobs/**',
      'src-main/api/**',
    ],
    rules: { 'no-restricted-imports': ['error', { paths: ['electron'] }] },
  },
);
