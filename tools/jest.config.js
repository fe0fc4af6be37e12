/**
 * Jest for tools/: the stray-import scan's fixture tests.
 *   node_modules/.bin/jest -c tools/jest.config.js
 * The TypeScript options are inline so these tests do not depend on how the root tsconfig
 * is set up for the shim and the front end; `tsc` type-checks the same files separately.
 */
/** @type {import('jest').Config} */
module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/tests/**/*.test.ts'],
  transform: {
    '^.+\\.ts$': [
      'ts-jest',
      {
        tsconfig: {
          module: 'commonjs',
          target: 'es2022',
          strict: true,
          isolatedModules: true,
          types: ['node', 'jest'],
        },
      },
    ],
  },
  // Bazel's sandbox leaves only $TEST_TMPDIR writable.
  ...(process.env.TEST_TMPDIR ? { cacheDirectory: `${process.env.TEST_TMPDIR}/jest-cache` } : {}),
};
