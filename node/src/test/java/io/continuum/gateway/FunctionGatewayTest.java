package io.continuum.gateway;

import static io.continuum.gateway.GatewayNode.assertRejected;
import static io.continuum.gateway.GatewayNode.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.continuum.gateway.v1.FunctionServiceClient;
import io.continuum.gateway.v1.GetStateRequest;
import io.continuum.gateway.v1.InvokeRequest;
import io.continuum.gateway.v1.InvokeResponse;
import io.continuum.gateway.v1.SendRequest;
import io.continuum.gateway.v1.SendResponse;
import io.grpc.Status.Code;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code continuum.v1.FunctionService} as a client sees it: a real node running {@link
 * NotebookApp}, a real gRPC client over a real socket. Every test uses instances of its own.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FunctionGatewayTest {

  @RegisterExtension static final GatewayNode node = new GatewayNode();

  private static final String TYPE = NotebookApp.TYPE;
  private static final String EMPTY_NOTES = "{\"lines\":[]}";
  private static final AtomicInteger instanceCount = new AtomicInteger();

  /** An instance id no other test uses. */
  private static String newId(String label) {
    return label + "-" + instanceCount.incrementAndGet();
  }

  private static FunctionServiceClient functions() {
    return node.functions();
  }

  private static ByteString json(String text) {
    return ByteString.copyFromUtf8(text);
  }

  private static String text(ByteString bytes) {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static String append(String line) {
    return "{\"text\":\"" + line + "\"}";
  }

  private static String notes(String... lines) {
    return "{\"lines\":["
        + String.join(",", List.of(lines).stream().map(l -> "\"" + l + "\"").toList())
        + "]}";
  }

  /** How many lines the notes of a reply hold. */
  private static int linesIn(InvokeResponse response) {
    String notes = text(response.getPayload());
    return notes.equals(EMPTY_NOTES) ? 0 : notes.split(",").length;
  }

  private static InvokeRequest.Builder invokeRequest(String id, String payload) {
    return InvokeRequest.newBuilder().setType(TYPE).setId(id).setPayload(json(payload));
  }

  private static SendRequest.Builder sendRequest(String id, String payload) {
    return SendRequest.newBuilder().setType(TYPE).setId(id).setPayload(json(payload));
  }

  private static InvokeResponse invoke(String id, String payload) {
    return await(functions().invoke(invokeRequest(id, payload).build()));
  }

  private static String state(String id) {
    return text(
        await(functions().getState(GetStateRequest.newBuilder().setType(TYPE).setId(id).build()))
            .getState());
  }

  @Nested
  class Invoke {

    @Test
    void returnsTheHandlersReplyAsJsonWithItsType() {
      String id = newId("invoke-reply");

      InvokeResponse response = invoke(id, append("hello"));

      assertThat(response.getHasReply()).isTrue();
      assertThat(text(response.getPayload())).isEqualTo(notes("hello"));
      assertThat(response.getMessageType()).isEqualTo(NotebookApp.Notes.class.getName());
    }

    @Test
    void aHandlerThatGivesNoReplyAnswersWithoutReplyOnceItsEffectIsDurable() {
      String id = newId("invoke-no-reply");

      InvokeResponse response =
          await(
              functions()
                  .invoke(invokeRequest(id, append("quiet")).setMessageType("Note").build()));

      assertThat(response.getHasReply()).isFalse();
      assertThat(response.getPayload().isEmpty()).isTrue();
      assertThat(response.getMessageType()).isEmpty();
      assertThat(state(id)).isEqualTo(notes("quiet"));
    }

    @Test
    void withoutAHintTheJsonBindsToTheFirstDeclaredTypeItFits() {
      String id = newId("invoke-first-type");

      InvokeResponse response = invoke(id, append("which"));

      assertThat(response.getHasReply()).as("Append, declared before Note, replies").isTrue();
    }

    @Test
    void theMessageTypeHintSelectsAmongTypesTheSameJsonFits() {
      String id = newId("invoke-hint");

      InvokeResponse asAppend =
          await(
              functions().invoke(invokeRequest(id, append("a")).setMessageType("Append").build()));
      InvokeResponse asNote =
          await(
              functions()
                  .invoke(
                      invokeRequest(id, append("b"))
                          .setMessageType(NotebookApp.Note.class.getName())
                          .build()));

      assertThat(asAppend.getHasReply()).isTrue();
      assertThat(asNote.getHasReply()).isFalse();
      assertThat(state(id)).isEqualTo(notes("a", "b"));
    }

    @Test
    void aRetryWithTheSameRequestIdRunsOnceAndReturnsTheSameReply() {
      String id = newId("invoke-request-id");
      InvokeRequest request = invokeRequest(id, append("once")).setRequestId("req-1").build();

      InvokeResponse first = await(functions().invoke(request));
      InvokeResponse retry = await(functions().invoke(request));

      assertThat(retry).isEqualTo(first);
      assertThat(state(id)).isEqualTo(notes("once"));
    }

    @Test
    void messagesToOneInstanceAreHandledInTheOrderTheyArrive() {
      String id = newId("invoke-order");
      List<String> lines = IntStream.range(0, 50).mapToObj(i -> "line-" + i).toList();

      InvokeResponse last = null;
      for (String line : lines) {
        last = invoke(id, append(line));
      }

      String expected = notes(lines.toArray(String[]::new));
      assertThat(text(last.getPayload())).isEqualTo(expected);
      assertThat(state(id)).isEqualTo(expected);
    }

    @Test
    void concurrentMessagesToOneInstanceAreHandledOneAtATime() {
      String id = newId("invoke-concurrent");
      List<String> lines = IntStream.range(0, 20).mapToObj(i -> "c-" + i).toList();

      List<CompletableFuture<InvokeResponse>> calls =
          lines.stream()
              .map(line -> functions().invoke(invokeRequest(id, append(line)).build()))
              .map(CompletionStage::toCompletableFuture)
              .toList();
      calls.forEach(GatewayNode::await);

      String state = state(id);
      assertThat(lines).allSatisfy(line -> assertThat(state).containsOnlyOnce("\"" + line + "\""));
      assertThat(calls)
          .extracting(call -> linesIn(call.join()))
          .as("each call saw the lines of the calls handled before it, and its own")
          .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, 20).boxed().toList());
    }
  }

  @Nested
  class Send {

    @Test
    void returnsAMessageIdOnceTheEffectIsVisibleInTheState() {
      String id = newId("send");

      SendResponse response = await(functions().send(sendRequest(id, append("sent")).build()));

      assertThat(response.getMessageId()).isNotBlank();
      assertThat(state(id)).isEqualTo(notes("sent"));
    }

    @Test
    void theSameMessageIdTwiceRunsOnce() {
      String id = newId("send-message-id");
      SendRequest request = sendRequest(id, append("once")).setMessageId("msg-1").build();

      SendResponse first = await(functions().send(request));
      SendResponse again = await(functions().send(request));

      assertThat(first.getMessageId()).isEqualTo("msg-1");
      assertThat(again.getMessageId()).isEqualTo("msg-1");
      assertThat(state(id)).isEqualTo(notes("once"));
    }

    @Test
    void sendsWithoutMessageIdGetIdsOfTheirOwnAndEachRuns() {
      String id = newId("send-fresh-ids");

      SendResponse first = await(functions().send(sendRequest(id, append("x")).build()));
      SendResponse second = await(functions().send(sendRequest(id, append("x")).build()));

      assertThat(first.getMessageId()).isNotEqualTo(second.getMessageId());
      assertThat(state(id)).isEqualTo(notes("x", "x"));
    }

    @Test
    void theMessageTypeHintAppliesToSendsToo() {
      String id = newId("send-hint");

      await(functions().send(sendRequest(id, append("noted")).setMessageType("Note").build()));

      assertThat(state(id)).isEqualTo(notes("noted"));
    }
  }

  @Nested
  class GetState {

    @Test
    void aFreshInstanceHasTheInitialState() {
      assertThat(state(newId("fresh"))).isEqualTo(EMPTY_NOTES);
    }

    @Test
    void readingTheStateChangesNothing() {
      String id = newId("read-only");
      invoke(id, append("a"));

      state(id);

      assertThat(invoke(id, append("b")).getPayload()).isEqualTo(json(notes("a", "b")));
    }
  }

  @Nested
  class BadInput {

    private static final String ACCEPTED_APPEND = "Append {\"text\": String}";
    private static final String ACCEPTED_STALL = "Stall {\"millis\": long, \"text\": String}";

    @Test
    void invokingAnUnknownTypeIsNotFoundListingTheDeclaredTypes() {
      assertRejected(
          functions().invoke(invokeRequest("x", append("a")).setType("nope").build()),
          Code.NOT_FOUND,
          "no function type 'nope'",
          "declares " + TYPE);
    }

    @Test
    void sendingToAnUnknownTypeIsNotFound() {
      assertRejected(
          functions().send(sendRequest("x", append("a")).setType("nope").build()),
          Code.NOT_FOUND,
          "no function type 'nope'",
          TYPE);
    }

    @Test
    void theStateOfAnUnknownTypeIsNotFound() {
      assertRejected(
          functions().getState(GetStateRequest.newBuilder().setType("nope").setId("x").build()),
          Code.NOT_FOUND,
          "no function type 'nope'",
          TYPE);
    }

    @Test
    void jsonThatBindsToNoHandledTypeIsInvalidArgumentNamingTheAcceptedTypes() {
      String id = newId("unbound");

      assertRejected(
          functions().invoke(invokeRequest(id, "{\"txt\":\"a\"}").build()),
          Code.INVALID_ARGUMENT,
          "does not bind to any message type of function '" + TYPE + "'",
          ACCEPTED_APPEND,
          ACCEPTED_STALL);
      assertThat(state(id)).isEqualTo(EMPTY_NOTES);
    }

    @Test
    void jsonWithAMissingFieldBindsToNoType() {
      assertRejected(
          functions().invoke(invokeRequest(newId("missing-field"), "{\"millis\":5}").build()),
          Code.INVALID_ARGUMENT,
          ACCEPTED_STALL);
    }

    @Test
    void malformedJsonIsInvalidArgument() {
      assertRejected(
          functions().send(sendRequest(newId("malformed"), "{\"text\":").build()),
          Code.INVALID_ARGUMENT,
          ACCEPTED_APPEND);
    }

    @Test
    void aHintNamingATypeTheFunctionDoesNotHandleIsInvalidArgument() {
      assertRejected(
          functions()
              .invoke(
                  invokeRequest(newId("bad-hint"), append("a")).setMessageType("Notes").build()),
          Code.INVALID_ARGUMENT,
          "does not bind to the named message type",
          ACCEPTED_APPEND);
    }

    @Test
    void aHintThatTheJsonDoesNotFitIsInvalidArgument() {
      assertRejected(
          functions()
              .invoke(
                  invokeRequest(newId("wrong-hint"), append("a")).setMessageType("Stall").build()),
          Code.INVALID_ARGUMENT,
          "does not bind to the named message type");
    }

    @Test
    void anEmptyIdIsInvalidArgumentForEveryCall() {
      assertRejected(
          functions().invoke(invokeRequest("", append("a")).build()),
          Code.INVALID_ARGUMENT,
          "instance id must be 1-200 printable characters");
      assertRejected(
          functions().send(sendRequest("", append("a")).build()),
          Code.INVALID_ARGUMENT,
          "instance id");
      assertRejected(
          functions().getState(GetStateRequest.newBuilder().setType(TYPE).build()),
          Code.INVALID_ARGUMENT,
          "instance id");
    }

    @Test
    void anIdLongerThanTwoHundredCharactersIsInvalidArgument() {
      assertRejected(
          functions().invoke(invokeRequest("i".repeat(201), append("a")).build()),
          Code.INVALID_ARGUMENT,
          "instance id must be 1-200 printable characters");
    }

    @Test
    void anIdOfTwoHundredCharactersIsAccepted() {
      String id = newId("long").concat("-").concat("i".repeat(200)).substring(0, 200);

      assertThat(invoke(id, append("a")).getHasReply()).isTrue();
    }

    @Test
    void anIdWithAControlCharacterIsInvalidArgument() {
      assertRejected(
          functions().invoke(invokeRequest("line\nbreak", append("a")).build()),
          Code.INVALID_ARGUMENT,
          "instance id");
    }
  }

  @Nested
  class Failures {

    @Test
    void aRejectedMessageIsFailedPreconditionWithTheApplicationsMessage() {
      String id = newId("rejected");
      invoke(id, append("before"));

      assertRejected(
          functions().invoke(invokeRequest(id, "{\"reason\":\"the notebook is full\"}").build()),
          Code.FAILED_PRECONDITION,
          "the notebook is full");

      assertThat(state(id)).isEqualTo(notes("before"));
      assertThat(text(invoke(id, append("after")).getPayload()))
          .isEqualTo(notes("before", "after"));
    }

    @Test
    void aRejectedSendIsFailedPreconditionToo() {
      assertRejected(
          functions().send(sendRequest(newId("rejected-send"), "{\"reason\":\"no\"}").build()),
          Code.FAILED_PRECONDITION,
          "no");
    }

    @Test
    void aHandlerSlowerThanTheDeadlineIsDeadlineExceededAndTheNodeKeepsServing() throws Exception {
      String slow = newId("slow");
      String other = newId("other");
      FunctionServiceClient impatient =
          FunctionServiceClient.create(
              node.clientSettings().withDeadline(Duration.ofMillis(500)), node.clientSystem());
      try {
        assertRejected(
            impatient.invoke(invokeRequest(slow, "{\"millis\":2000,\"text\":\"slow\"}").build()),
            Code.DEADLINE_EXCEEDED);

        assertThat(invoke(other, append("meanwhile")).getHasReply()).isTrue();
        assertThat(text(invoke(slow, append("next")).getPayload()))
            .as("the late invocation took effect, then the next one")
            .isEqualTo(notes("slow", "next"));
      } finally {
        impatient.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
    }
  }
}
