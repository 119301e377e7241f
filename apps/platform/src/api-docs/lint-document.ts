/** Lints an OpenAPI document with @redocly/openapi-core and the rules in redocly.yaml. */
import { BaseResolver, getTotals, lintDocument, loadConfig, makeDocumentFromString, type NormalizedProblem, type Totals } from '@redocly/openapi-core';
import { LINT_CONFIG } from './files.ts';

export interface LintResult {
  problems: NormalizedProblem[];
  totals: Totals;
}

/** `source` is the file `text` is (or will be) saved as, so problems point at its lines. */
export async function lintApiDocument(text: string, source: string): Promise<LintResult> {
  const config = await loadConfig({ configPath: LINT_CONFIG });
  const problems = await lintDocument({
    document: makeDocumentFromString(text, source),
    config,
    externalRefResolver: new BaseResolver(config.resolve),
  });
  return { problems, totals: getTotals(problems) };
}
