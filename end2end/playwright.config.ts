import { defineConfig } from '@playwright/test';
import { SERVER_BIN } from './tests/helpers';

// Debian's Chromium, never a downloaded browser. The flags keep it off the (closed) network.
const PORT = Number(process.env.E2E_PORT ?? 3217);
/** A real SMTP server on loopback (the integration tests' sink); the app delivers to it. */
export const SMTP_PORT = Number(process.env.E2E_SMTP_PORT ?? 3218);
export const MAILDIR = '../target/e2e-data/maildir';

export default defineConfig({
  testDir: './tests',
  timeout: 90_000,
  expect: { timeout: 15_000 },
  workers: 1,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    viewport: { width: 360, height: 740 },
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--disable-sync',
        '--disable-quic',
      ],
    },
  },
  webServer: [
  {
    // Started first: it clears the run's data folder, then holds the maildir the tests read.
    command: `rm -rf ../target/e2e-data && mkdir -p ../target/e2e-data && exec python3 ../tests/smtp_sink.py normal ${SMTP_PORT} ${MAILDIR}`,
    port: SMTP_PORT,
    reuseExistingServer: false,
    timeout: 30_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
  {
    // A fresh SQLite database for every run of the suite.
    command: `exec ${SERVER_BIN}`,
    url: `http://127.0.0.1:${PORT}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      BIND_ADDR: `127.0.0.1:${PORT}`,
      DATABASE_URL: 'sqlite://../target/e2e-data/e2e.db',
      PRACTICE_NAME: 'Harbour Couples Practice',
      PRACTICE_EMAIL: 'intake@harbour.example',
      SITE_ROOT: '../target/site',
      RUST_LOG: 'warn',
      QUICK_EXIT_URL: 'https://weather.example/',
      PRACTICE_COUNTRY: 'US',
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(SMTP_PORT),
      SMTP_TLS: 'none',
      MAIL_FROM: 'Harbour Intake <no-reply@harbour.example>',
      MAIL_RETRY_BASE_SECONDS: '1',
    },
  },
  ],
});
