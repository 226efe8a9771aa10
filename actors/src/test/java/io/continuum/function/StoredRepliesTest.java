package io.continuum.function;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class StoredRepliesTest {

  private static final FunctionSettings.Replies KEEP_2_TO_4_FOR_10S =
      new FunctionSettings.Replies(2, Duration.ofSeconds(10), 4);

  @Test
  void aStoredReplyIsFoundByItsRequestId() {
    StoredReplies replies =
        StoredReplies.EMPTY
            .added(reply("a", 1_000), KEEP_2_TO_4_FOR_10S)
            .added(reply("b", 2_000), KEEP_2_TO_4_FOR_10S);

    assertThat(replies.get("a")).contains(reply("a", 1_000));
    assertThat(replies.get("b")).contains(reply("b", 2_000));
    assertThat(replies.get("c")).isEmpty();
  }

  @Test
  void repliesOlderThanTheRetentionAreForgottenButTheNewestMinimumStays() {
    StoredReplies replies = StoredReplies.EMPTY;
    for (String id : List.of("a", "b", "c")) {
      replies = replies.added(reply(id, 0), KEEP_2_TO_4_FOR_10S);
    }

    StoredReplies later = replies.added(reply("d", 20_000), KEEP_2_TO_4_FOR_10S);

    assertThat(later.toList()).extracting(StoredReply::requestId).containsExactly("c", "d");
    assertThat(later.get("a")).isEmpty();
    assertThat(replies.get("a")).as("the earlier value is unchanged").isPresent();
  }

  @Test
  void atMostTheMaximumIsKeptEvenWithinTheRetention() {
    StoredReplies replies = StoredReplies.EMPTY;
    for (int i = 1; i <= 6; i++) {
      replies = replies.added(reply("r" + i, i), KEEP_2_TO_4_FOR_10S);
    }

    assertThat(replies.size()).isEqualTo(4);
    assertThat(replies.toList())
        .extracting(StoredReply::requestId)
        .containsExactly("r3", "r4", "r5", "r6");
  }

  @Test
  void theRepliesAreWrittenAsTheirListOldestFirstAndReadBack() throws Exception {
    ObjectMapper cbor = new CBORMapper();
    StoredReplies replies =
        StoredReplies.EMPTY
            .added(reply("a", 1), KEEP_2_TO_4_FOR_10S)
            .added(reply("b", 2), KEEP_2_TO_4_FOR_10S);

    byte[] bytes = cbor.writeValueAsBytes(replies);

    assertThat(cbor.readTree(bytes).isArray()).isTrue();
    StoredReplies read = cbor.readValue(bytes, StoredReplies.class);
    assertThat(read.toList()).isEqualTo(replies.toList());
    assertThat(read.get("b")).isPresent();
  }

  private static StoredReply reply(String requestId, long storedAt) {
    return new StoredReply(requestId, "Done", null, storedAt);
  }
}
