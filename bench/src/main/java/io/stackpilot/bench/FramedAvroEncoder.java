package io.stackpilot.bench;

import io.stackpilot.events.StepApplied;
import io.stackpilot.serde.WireFormat;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * Avro encoding as a hand-written serializer does it, without a registry: one {@link
 * SpecificDatumWriter}, one reused {@link BinaryEncoder} and a reused buffer, framed like the
 * Confluent wire format (magic byte, 4-byte schema id) so the bytes have the size the real
 * serializer writes. Not thread-safe: one per sending thread.
 */
final class FramedAvroEncoder extends OutputStream {
  /** A placeholder id: these rungs never consult a registry. */
  static final int SCHEMA_ID = 1;

  private final DatumWriter<StepApplied> writer = new SpecificDatumWriter<>(StepApplied.class);
  private byte[] buf = new byte[512];
  private int count;
  private BinaryEncoder encoder;

  byte[] encode(StepApplied event) {
    count = WireFormat.HEADER_SIZE;
    buf[0] = WireFormat.MAGIC_BYTE;
    buf[1] = (byte) (SCHEMA_ID >>> 24);
    buf[2] = (byte) (SCHEMA_ID >>> 16);
    buf[3] = (byte) (SCHEMA_ID >>> 8);
    buf[4] = (byte) SCHEMA_ID;
    encoder = EncoderFactory.get().directBinaryEncoder(this, encoder);
    try {
      writer.write(event, encoder);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Arrays.copyOf(buf, count);
  }

  @Override
  public void write(int b) {
    ensure(1);
    buf[count++] = (byte) b;
  }

  @Override
  public void write(byte[] bytes, int off, int len) {
    ensure(len);
    System.arraycopy(bytes, off, buf, count, len);
    count += len;
  }

  private void ensure(int extra) {
    if (count + extra > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(count + extra, buf.length * 2));
    }
  }
}
