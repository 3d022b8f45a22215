/** @type {import('jest').Config} */
module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/**/*.e2e-spec.ts', '<rootDir>/src/**/*.spec.ts'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: {
    '^@electric-sql/pglite/contrib/(.*)$': '<rootDir>/node_modules/@electric-sql/pglite/dist/contrib/$1.cjs',
  },
  transform: {
    '^.+\\.ts$': [
      'ts-jest',
      {
        tsconfig: 'tsconfig.json',
        diagnostics: false,
        // The same swagger plugin as `nest build`, so DTOs carry the same OpenAPI metadata in tests.
        astTransformers: {
          before: [{ path: '<rootDir>/test/helpers/swagger-transformer.js', options: { introspectComments: true, classValidatorShim: true, dtoFileNameSuffix: ['.dto.ts'] } }],
        },
      },
    ],
  },
  globalSetup: '<rootDir>/test/helpers/global-setup.ts',
  globalTeardown: '<rootDir>/test/helpers/global-teardown.ts',
  testTimeout: 60000,
  reporters: ['default', '<rootDir>/test/helpers/count-reporter.js'],
};
