// Byte compatibility with a third-party implementation of Confluent's wire format and registry API.
// For every record on every stackpilot.* event topic: decode it through the registry with
// @kafkajs/confluent-schema-registry, re-encode the decoded value with the same schema id, and
// require the bytes to equal what Stackpilot's Java serializer wrote.
// Usage: node check.mjs <bootstrap> <registry-url> [topic=count ...]
// The counts are the committed records another client (kcat) read from each topic. Offsets cannot
// give them: the applier writes in transactions, and each commit marker takes an offset.
import { Kafka, logLevel } from 'kafkajs';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';

const [bootstrap = '127.0.0.1:9092', registryUrl = 'http://127.0.0.1:8081', ...countArgs] =
  process.argv.slice(2);
const counted = Object.fromEntries(
  countArgs.map((a) => a.split('=')).map(([topic, n]) => [topic, Number(n)]));
const kafka = new Kafka({ clientId: 'confluent-js-compat', brokers: [bootstrap], logLevel: logLevel.NOTHING });
const registry = new SchemaRegistry({ host: registryUrl });

const admin = kafka.admin();
await admin.connect();
const topics = (await admin.listTopics())
  .filter((t) => t.startsWith('stackpilot.') && !t.startsWith('stackpilot.dlq.'))
  // the notifier's own state topics (JSON, like a Kafka Streams changelog): not event topics
  .filter((t) => !t.endsWith('.routed-alerts') && !t.endsWith('.notification-log'))
  .sort();
const ends = {};
for (const topic of topics) {
  const offsets = (await admin.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.high), 0);
  ends[topic] = topic in counted ? counted[topic] : offsets;
}
await admin.disconnect();

const expected = Object.values(ends).reduce((a, b) => a + b, 0);
const seen = {};
let failures = 0;
let total = 0;
const consumer = kafka.consumer({ groupId: `confluent-js-compat-${Date.now()}` });
await consumer.connect();
await consumer.subscribe({ topics, fromBeginning: true });
const done = new Promise((resolve) => {
  const timer = setTimeout(resolve, 60000);
  consumer.run({
    eachMessage: async ({ topic, message }) => {
      const bytes = message.value;
      const id = bytes.readInt32BE(1);
      try {
        const value = await registry.decode(bytes);
        const again = await registry.encode(id, value);
        if (!Buffer.from(again).equals(bytes)) {
          failures++;
          console.log(`  MISMATCH ${topic}: re-encoded bytes differ (schema id ${id})`);
        }
        seen[topic] = (seen[topic] || 0) + 1;
      } catch (e) {
        failures++;
        console.log(`  FAIL ${topic}: ${e.message}`);
      }
      total++;
      if (total >= expected) { clearTimeout(timer); resolve(); }
    },
  });
});
await done;
await consumer.disconnect();

for (const topic of topics) {
  console.log(`  ${topic.padEnd(36)} ${String(seen[topic] || 0).padStart(5)} / ${ends[topic]} decoded and re-encoded byte-identical`);
}
if (failures > 0 || total < expected) {
  console.log(`confluent-js compat: FAILED (${failures} failures, ${total}/${expected} records)`);
  process.exit(1);
}
console.log(`confluent-js compat: OK (${total} records, ${topics.length} topics)`);
process.exit(0);
