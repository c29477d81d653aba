package io.stackpilot.serde;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;

/**
 * A per-thread growable byte buffer plus a reused direct encoder: one framed record costs one array
 * copy (the result) and no locking, unlike {@link java.io.ByteArrayOutputStream}.
 */
final class EncodeBuffer extends OutputStream {

  private static final int INITIAL = 256;
  // A rare huge record should not pin its buffer to the thread forever.
  private static final int RETAIN_LIMIT = 1 << 20;

  private byte[] buf = new byte[INITIAL];
  private int count;
  private BinaryEncoder encoder;

  <T> byte[] frame(int schemaId, DatumWriter<T> writer, T datum) throws IOException {
    count = WireFormat.HEADER_SIZE;
    WireFormat.writeHeader(buf, schemaId);
    encoder = EncoderFactory.get().directBinaryEncoder(this, encoder);
    try {
      writer.write(datum, encoder);
      return Arrays.copyOf(buf, count);
    } finally {
      if (buf.length > RETAIN_LIMIT) {
        buf = new byte[INITIAL];
      }
    }
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
    int needed = count + extra;
    if (needed > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(needed, buf.length * 2));
    }
  }
}
