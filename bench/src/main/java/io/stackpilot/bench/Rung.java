package io.stackpilot.bench;

import java.util.Map;
import org.apache.kafka.clients.producer.Producer;

/** One step of the publish ladder: one way of getting the sample records onto a topic. */
interface Rung {

  /** The row label in the tables, e.g. {@code + avro encoding}. */
  String label();

  /**
   * Opens this rung's producing side for {@code topic} and sends the priming record, waiting for
   * its ack, so connections, metadata and the schema id are in place before the clock starts.
   */
  Session open(String topic, String clientId) throws Exception;

  /** An opened rung, ready to be timed. */
  interface Session extends AutoCloseable {

    /** Sends records {@code 0..count-1} without waiting for acks. */
    void sendAll(int count);

    /** Blocks until every record sent so far is acknowledged. */
    void flush();

    /** The Kafka producer that does the I/O: its metrics, client id and network thread. */
    Producer<?, ?> producer();

    /** The configuration that producer was created with, for the settings check. */
    Map<String, Object> producerConfig();

    /** What about this rung's path a reader should know, printed with the checks; may be empty. */
    default String notes() {
      return "";
    }

    @Override
    void close();
  }
}
