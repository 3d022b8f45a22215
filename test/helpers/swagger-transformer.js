// Adapts the @nestjs/swagger CLI plugin to ts-jest's AST-transformer interface, so tests compile DTOs
// exactly as `nest build` does (same OpenAPI metadata; the OpenAPI drift test relies on it).
const plugin = require('@nestjs/swagger/plugin');

module.exports = {
  name: 'nestjs-swagger-transformer',
  version: 1,
  factory: (tsCompiler, options) => plugin.before(options, tsCompiler.program),
};
