/** The whole platform in one process on embedded adapters, through the gateway. */
import { before, after, describe } from 'node:test';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPlatform, type EmbeddedPlatform } from '../src/embedded-platform.ts';
import { identityScenarios, type PlatformUnderTest } from './identity-scenarios.ts';
import { usersScenarios } from './users-scenarios.ts';
import { socialScenarios } from './social-scenarios.ts';
import { commerceScenarios } from './commerce-scenarios.ts';
import { tracingScenarios, tracingSettings } from './tracing-scenarios.ts';
import { startOtlpReceiver, type OtlpReceiver } from './otlp-receiver.ts';

describe('embedded platform', () => {
  let platform: EmbeddedPlatform;
  let dataDir: string;
  // Where the services export their spans, as they would to a collector.
  let receiver: OtlpReceiver;
  const admin = { email: 'admin@example.com', password: 'admin password 123' };

  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'agora-e2e-'));
    receiver = await startOtlpReceiver();
    platform = await startEmbeddedPlatform({
      port: 0,
      env: { ...process.env, AGORA_DATA_DIR: dataDir, LOG_LEVEL: 'silent', AGORA_ADMIN_EMAIL: admin.email, AGORA_ADMIN_PASSWORD: admin.password, ...tracingSettings(receiver) },
    });
  });

  after(async () => {
    await platform?.close();
    await receiver?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  identityScenarios((): PlatformUnderTest => ({ url: platform.url, mailboxDir: path.join(dataDir, 'mailbox'), admin }));
  usersScenarios((): PlatformUnderTest => ({ url: platform.url, mailboxDir: path.join(dataDir, 'mailbox'), admin }));
  socialScenarios((): PlatformUnderTest => ({ url: platform.url, mailboxDir: path.join(dataDir, 'mailbox'), admin }));
  commerceScenarios((): PlatformUnderTest => ({ url: platform.url, mailboxDir: path.join(dataDir, 'mailbox'), admin }));
  tracingScenarios((): PlatformUnderTest => ({ url: platform.url, mailboxDir: path.join(dataDir, 'mailbox'), admin }), () => receiver);
});
