import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createLogger, plainLogLine, type LogFormat } from "../../../chain/logger.ts";
import { APP_TOML, homePaths, readAppConfig } from "./home.ts";

/** The lines a logger writes, through pino, in `format`. */
function logged(format: LogFormat, fn: (log: ReturnType<typeof createLogger>) => void): string[] {
  const lines: string[] = [];
  fn(createLogger("info", "arod", format, (line) => void lines.push(line)));
  return lines;
}

describe("arod: the log format (app.toml log-format, arod start --log_format)", () => {
  it("json (the default): one pino JSON object per line", () => {
    const [line, ...rest] = logged("json", (log) => {
      log.debug("not shown at info");
      log.info("ABCI server listening", { address: "tcp://127.0.0.1:26658", height: "5" });
    });
    assert.equal(rest.length, 0);
    const event = JSON.parse(line);
    assert.deepEqual([event.level, event.name, event.msg, event.address, event.height], [30, "arod", "ABCI server listening", "tcp://127.0.0.1:26658", "5"]);
    assert.deepEqual(logged("json", (log) => log.warn("x")).map((l) => JSON.parse(l).level), [40]);
  });

  it("plain: time, level, name, message and key=value fields on one readable line", () => {
    const lines = logged("plain", (log) => {
      log.debug("not shown at info");
      log.info("ABCI server listening", { address: "tcp://127.0.0.1:26658", height: "5" });
      log.warn("a value with spaces", { why: "two words", n: 3, list: [1, "a"], eq: "a=b", empty: "" });
      log.error("stack", { err: "Error: boom\n    at x (y.ts:1:2)" });
    });
    assert.equal(lines.length, 3);
    assert.match(lines[0], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z INF \[arod\] ABCI server listening address=tcp:\/\/127\.0\.0\.1:26658 height=5\n$/);
    assert.match(lines[1], / WRN \[arod\] a value with spaces why="two words" n=3 list=\[1,"a"\] eq="a=b" empty=""\n$/);
    assert.match(lines[2], / ERR \[arod\] stack err="Error: boom\\n    at x \(y\.ts:1:2\)"\n$/, "an event stays one line");
    for (const l of lines) assert.doesNotMatch(l, /^\{/);
  });

  it("plainLogLine passes through what is not pino's JSON", () => {
    for (const odd of ["not json\n", "[1,2]\n", "null\n", '"s"\n']) assert.equal(plainLogLine(odd), odd);
    assert.equal(plainLogLine('{"level":30,"time":1e300,"msg":"m"}'), "1e+300 INF m\n");
  });

  it("app.toml's log-format: json when absent (what arod init writes), plain when set, anything else refused", () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "arod-logfmt-"));
    try {
      const p = homePaths(home);
      fs.mkdirSync(p.config, { recursive: true });
      fs.writeFileSync(p.cometConfig, 'proxy_app = "tcp://127.0.0.1:26658"\n');
      assert.equal(readAppConfig(home).logFormat, "json", "no app.toml");
      fs.writeFileSync(p.appConfig, APP_TOML);
      assert.match(APP_TOML, /^log-format = "json"$/m);
      assert.equal(readAppConfig(home).logFormat, "json");
      fs.writeFileSync(p.appConfig, APP_TOML.replace('log-format = "json"', 'log-format = "plain"'));
      assert.equal(readAppConfig(home).logFormat, "plain");
      for (const bad of ['"xml"', '"JSON"', "1", "true"]) {
        fs.writeFileSync(p.appConfig, APP_TOML.replace('log-format = "json"', `log-format = ${bad}`));
        assert.throws(() => readAppConfig(home), /app\.toml: log-format must be json or plain/);
      }
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});
