package io.stackpilot.serde;

import org.apache.kafka.common.errors.SerializationException;

/** The Confluent wire format: magic byte 0, a big-endian 4-byte schema id, then Avro binary. */
public final class WireFormat {

  /** The only magic byte Confluent has ever defined. */
  public static final byte MAGIC_BYTE = 0;

  /** Magic byte plus schema id; the Avro payload starts at this offset. */
  public static final int HEADER_SIZE = 5;

  private WireFormat() {}

  /** Prefixes an Avro binary payload with the magic byte and the schema id. */
  public static byte[] frame(int schemaId, byte[] avroPayload) {
    if (avroPayload == null) {
      throw new IllegalArgumentException("avroPayload must not be null");
    }
    byte[] framed = new byte[HEADER_SIZE + avroPayload.length];
    writeHeader(framed, schemaId);
    System.arraycopy(avroPayload, 0, framed, HEADER_SIZE, avroPayload.length);
    return framed;
  }

  /** Reads the schema id of a framed record, after checking the magic byte. */
  public static int schemaId(byte[] framed) {
    if (framed == null) {
      throw new SerializationException("record is null: no Confluent wire-format header");
    }
    if (framed.length < HEADER_SIZE) {
      throw new SerializationException(
          "record too short: "
              + framed.length
              + " bytes, the Confluent wire format needs at least "
              + HEADER_SIZE
              + " (magic byte + 4-byte schema id)");
    }
    if (framed[0] != MAGIC_BYTE) {
      throw new SerializationException(
          String.format(
              "Unknown magic byte 0x%02x: not in the Confluent wire format (expected 0x00)",
              framed[0] & 0xff));
    }
    return ((framed[1] & 0xff) << 24)
        | ((framed[2] & 0xff) << 16)
        | ((framed[3] & 0xff) << 8)
        | (framed[4] & 0xff);
  }

  static void writeHeader(byte[] target, int schemaId) {
    target[0] = MAGIC_BYTE;
    target[1] = (byte) (schemaId >>> 24);
    target[2] = (byte) (schemaId >>> 16);
    target[3] = (byte) (schemaId >>> 8);
    target[4] = (byte) schemaId;
  }
}
