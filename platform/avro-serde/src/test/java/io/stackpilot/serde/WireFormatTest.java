package io.stackpilot.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class WireFormatTest {

  @Test
  void framesAndReadsBackTheSchemaId() {
    byte[] framed = WireFormat.frame(0x01020304, new byte[] {9, 8});

    assertThat(framed).containsExactly(0, 1, 2, 3, 4, 9, 8);
    assertThat(WireFormat.schemaId(framed)).isEqualTo(0x01020304);
  }

  @Test
  void idsAboveSignedByteRangeSurviveTheRoundTrip() {
    for (int id : new int[] {0, 1, 127, 128, 255, 256, 65_535, 1 << 24, Integer.MAX_VALUE, -1}) {
      assertThat(WireFormat.schemaId(WireFormat.frame(id, new byte[0]))).isEqualTo(id);
    }
  }

  @Test
  void rejectsNullShortAndForeignRecords() {
    assertThatThrownBy(() -> WireFormat.schemaId(null))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("null");
    assertThatThrownBy(() -> WireFormat.schemaId(new byte[] {0, 0, 1}))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("record too short: 3 bytes");
    assertThatThrownBy(() -> WireFormat.schemaId("{\"json\":1}".getBytes()))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("Unknown magic byte 0x7b");
  }
}
