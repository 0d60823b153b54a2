import type { AddressInfo } from "node:net";
import type { App } from "@slack/bolt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocketServer } from "ws";
import { createApp } from "../../src/app.js";
import { loadAppConfig } from "../../src/config.js";
import { createLogger } from "../../src/logger.js";
import { createTelemetry } from "../../src/telemetry.js";
import { type FakeSlack, startFakeSlack } from "../helpers/fake-slack.js";
import { freePort } from "../helpers/net.js";

/**
 * Socket Mode, the default deployment: the app opens a WebSocket through apps.connections.open (at
 * SLACK_API_URL) and still serves GET /health and /metrics on PORT, which Fly's checks rely on.
 */
let slack: FakeSlack;
let sockets: WebSocketServer;
let app: App;
let port: number;
let connections = 0;

beforeAll(async () => {
  slack = await startFakeSlack();
  sockets = new WebSocketServer({ port: 0, host: "127.0.0.1" });
  sockets.on("connection", (socket) => {
    connections++;
    socket.send(
      JSON.stringify({ type: "hello", num_connections: 1, connection_info: { app_id: "A0123ABCD" } }),
    );
  });
  await new Promise<void>((resolve) => sockets.once("listening", () => resolve()));
  slack.setSocketUrl(`ws://127.0.0.1:${(sockets.address() as AddressInfo).port}/link`);
  port = await freePort();
  const config = loadAppConfig({
    SLACK_BOT_TOKEN: "xoxb-socket",
    SLACK_APP_TOKEN: "xapp-socket",
    SLACK_API_URL: slack.apiUrl,
    PORT: String(port),
  });
  app = createApp(
    config,
    createLogger({ level: "silent" }),
    () => ({ ok: true }),
    createTelemetry({ defaultMetrics: false }),
  );
  await app.init();
  await app.start();
});

afterAll(async () => {
  await app?.stop();
  await new Promise<void>((resolve) => sockets.close(() => resolve()));
  await slack.close();
});

describe("Socket Mode", () => {
  it("connects through SLACK_API_URL and serves /health and /metrics on PORT", async () => {
    expect(slack.callsTo("apps.connections.open")).toHaveLength(1);
    expect(slack.callsTo("apps.connections.open")[0]?.authorization).toBe("Bearer xapp-socket");
    expect(connections).toBe(1);
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok" });
    expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(200);
  });
});
