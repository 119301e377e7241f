/**
 * Maps any error thrown while serving a request to an RFC 9457 problem document
 * (https://www.rfc-editor.org/rfc/rfc9457). Client mistakes keep their 4xx status and a stable
 * `code`; anything unexpected becomes a 500 that says nothing about internals.
 */
import type { FastifyError } from 'fastify';
import { isAppError, type FieldError } from '../errors.ts';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code: string;
  errors?: FieldError[];
  instance?: string;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export const problemType = (code: string): string => `/problems/${code.toLowerCase()}`;

interface ValidationIssue {
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
}

function fieldErrors(context: string | undefined, issues: ValidationIssue[]): FieldError[] {
  return issues.map((issue) => {
    const extra = issue.params?.['additionalProperty'] ?? issue.params?.['missingProperty'];
    const path = [context, (issue.instancePath ?? '').replace(/^\//, ''), extra]
      .filter((part) => part !== undefined && part !== '')
      .join('/');
    const message = issue.params?.['additionalProperty'] !== undefined ? 'is not a known property' : (issue.message ?? 'is invalid');
    return { path, message };
  });
}

/** Fastify's own 4xx errors keep their status; their codes become stable Agora codes. */
const FRAMEWORK_CODES: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'HTTP.PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'HTTP.UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'HTTP.MALFORMED_BODY',
  FST_ERR_CTP_INVALID_JSON_BODY: 'HTTP.MALFORMED_BODY',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'HTTP.MALFORMED_BODY',
  FST_ERR_BAD_URL: 'HTTP.MALFORMED_URL',
};

export interface ProblemWithHeaders {
  problem: Problem;
  headers: Record<string, string>;
}

export function toProblem(error: unknown): ProblemWithHeaders {
  if (isAppError(error)) {
    const problem: Problem = { type: problemType(error.code), title: error.message, status: error.status, code: error.code };
    if (error.detail) problem.detail = error.detail;
    if (error.errors) problem.errors = error.errors;
    return { problem, headers: error.headers ?? {} };
  }
  const fastifyError = error as Partial<FastifyError> & { validation?: ValidationIssue[]; validationContext?: string };
  if (Array.isArray(fastifyError.validation)) {
    return {
      problem: {
        type: problemType('VALIDATION.FAILED'),
        title: 'The request is invalid',
        status: 400,
        code: 'VALIDATION.FAILED',
        errors: fieldErrors(fastifyError.validationContext, fastifyError.validation),
      },
      headers: {},
    };
  }
  // SyntaxError from the JSON parser carries statusCode 400 too.
  const status = fastifyError.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const code = FRAMEWORK_CODES[fastifyError.code ?? ''] ?? `HTTP.${status}`;
    return {
      problem: { type: problemType(code), title: fastifyError.message ?? 'Bad request', status, code },
      headers: {},
    };
  }
  return {
    problem: { type: problemType('INTERNAL'), title: 'Internal Server Error', status: 500, code: 'INTERNAL' },
    headers: {},
  };
}
