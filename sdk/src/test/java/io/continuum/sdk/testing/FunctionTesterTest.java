package io.continuum.sdk.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.continuum.sdk.Address;
import io.continuum.sdk.App;
import io.continuum.sdk.ContinuumApp;
import io.continuum.sdk.Rejected;
import io.continuum.sdk.model.Effects.Published;
import io.continuum.sdk.model.Effects.Sent;
import io.continuum.sdk.model.InvalidApplicationException;
import io.continuum.sdk.testing.FunctionTester.Invocation;
import java.time.Duration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * {@link FunctionTester}: a function's handlers run without a cluster, and every invocation reports
 * what the runtime would carry out — or, when the handler fails, that nothing happened.
 */
class FunctionTesterTest {

  /** An account: deposits, withdrawals that can be refused, and effects of every kind. */
  static final class Bank implements ContinuumApp {

    record Balance(long cents) {}

    record Deposit(long cents) {}

    record Withdraw(long cents) {}

    record Transfer(String to, long cents) {}

    record Remind(long afterSeconds) {}

    record Crash() {}

    record Forget() {}

    record SendNowhere() {}

    record SendUnhandled() {}

    record PublishNowhere() {}

    @Override
    public void define(App app) {
      app.topic("ledger");
      app.function("account", Balance.class, new Balance(0))
          .on(
              Deposit.class,
              (context, balance, deposit) -> {
                Balance next = new Balance(balance.cents() + deposit.cents());
                context.reply(next);
                context.publish("ledger", deposit);
                return next;
              })
          .on(
              Withdraw.class,
              (context, balance, withdraw) -> {
                context.publish("ledger", withdraw);
                context.reply(balance);
                if (withdraw.cents() > balance.cents()) {
                  throw new Rejected("insufficient funds: " + balance.cents() + " cents");
                }
                return new Balance(balance.cents() - withdraw.cents());
              })
          .on(
              Transfer.class,
              (context, balance, transfer) -> {
                context.send("account", transfer.to(), new Deposit(transfer.cents()));
                return new Balance(balance.cents() - transfer.cents());
              })
          .on(
              Remind.class,
              (context, balance, remind) -> {
                context.sendSelfAfter(Duration.ofSeconds(remind.afterSeconds()), new Deposit(0));
                return balance;
              })
          .on(
              Crash.class,
              (context, balance, crash) -> {
                context.send(context.self(), new Deposit(1));
                throw new IllegalStateException("boom");
              })
          .on(Forget.class, (context, balance, forget) -> null)
          .on(
              SendNowhere.class,
              (context, balance, message) -> {
                context.send("nobody", "x", new Deposit(1));
                return balance;
              })
          .on(
              SendUnhandled.class,
              (context, balance, message) -> {
                context.send("account", "x", new Balance(1));
                return balance;
              })
          .on(
              PublishNowhere.class,
              (context, balance, message) -> {
                context.publish("gossip", new Deposit(1));
                return balance;
              });
    }
  }

  private final FunctionTester<Bank.Balance> account =
      FunctionTester.of(new Bank(), "account", Bank.Balance.class);

  @Nested
  class Creation {

    @Test
    void anUndeclaredFunctionTypeIsRefused() {
      assertThatThrownBy(() -> FunctionTester.of(new Bank(), "ledger", Bank.Balance.class))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("no function type 'ledger'");
    }

    @Test
    void anotherStateTypeIsRefused() {
      assertThatThrownBy(() -> FunctionTester.of(new Bank(), "account", Bank.Deposit.class))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("function 'account' has state " + Bank.Balance.class.getName());
    }

    @Test
    void anInvalidApplicationIsRefusedWithItsProblems() {
      ContinuumApp invalid = app -> app.function("idle", Bank.Balance.class, new Bank.Balance(0));

      assertThatThrownBy(() -> FunctionTester.of(invalid, "idle", Bank.Balance.class))
          .isInstanceOf(InvalidApplicationException.class)
          .hasMessageContaining("function 'idle' declares no handler");
    }
  }

  @Nested
  class State {

    @Test
    void anInstanceStartsWithTheInitialState() {
      assertThat(account.state("alice")).isEqualTo(new Bank.Balance(0));
    }

    @Test
    void eachInvocationContinuesFromTheStateTheLastOneReturned() {
      account.invoke("alice", new Bank.Deposit(500));

      Invocation<Bank.Balance> second = account.invoke("alice", new Bank.Withdraw(200));

      assertThat(second.state()).isEqualTo(new Bank.Balance(300));
      assertThat(account.state("alice")).isEqualTo(new Bank.Balance(300));
    }

    @Test
    void instancesHaveStatesOfTheirOwn() {
      account.invoke("alice", new Bank.Deposit(500));

      account.invoke("bob", new Bank.Deposit(7));

      assertThat(account.state("alice")).isEqualTo(new Bank.Balance(500));
      assertThat(account.state("bob")).isEqualTo(new Bank.Balance(7));
      assertThat(account.state("carol")).isEqualTo(new Bank.Balance(0));
    }
  }

  @Nested
  class ReportedEffects {

    @Test
    void aSuccessfulInvocationReportsItsReplyAndPublishes() {
      Invocation<Bank.Balance> result = account.invoke("alice", new Bank.Deposit(500));

      assertThat(result.failure()).isNull();
      assertThat(result.reply()).contains(new Bank.Balance(500));
      assertThat(result.published())
          .containsExactly(new Published("ledger", new Bank.Deposit(500)));
      assertThat(result.sent()).isEmpty();
    }

    @Test
    void aMessageToAnotherInstanceIsSentAtOnce() {
      account.invoke("alice", new Bank.Deposit(500));

      Invocation<Bank.Balance> result = account.invoke("alice", new Bank.Transfer("bob", 120));

      assertThat(result.sent())
          .containsExactly(
              new Sent(new Address("account", "bob"), new Bank.Deposit(120), Duration.ZERO));
      assertThat(result.reply()).isEmpty();
      assertThat(account.state("bob"))
          .as("the tester does not deliver sent messages: the test decides")
          .isEqualTo(new Bank.Balance(0));
    }

    @Test
    void aDelayedMessageCarriesItsDelayAndTheInstancesOwnAddress() {
      Invocation<Bank.Balance> result = account.invoke("alice", new Bank.Remind(90));

      assertThat(result.sent())
          .containsExactly(
              new Sent(
                  new Address("account", "alice"), new Bank.Deposit(0), Duration.ofSeconds(90)));
    }

    @Test
    void aNegativeDelayFailsTheInvocation() {
      Invocation<Bank.Balance> result = account.invoke("alice", new Bank.Remind(-1));

      assertThat(result.failure())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("delay must not be negative");
      assertThat(result.sent()).isEmpty();
    }
  }

  @Nested
  class Failures {

    @Test
    void aRejectedMessageChangesNothingAndEmitsNothing() {
      account.invoke("alice", new Bank.Deposit(100));

      Invocation<Bank.Balance> result = account.invoke("alice", new Bank.Withdraw(250));

      assertThat(result.failure())
          .isInstanceOf(Rejected.class)
          .hasMessage("insufficient funds: 100 cents");
      assertThat(result.state()).isEqualTo(new Bank.Balance(100));
      assertThat(result.reply()).as("the reply requested before the refusal").isEmpty();
      assertThat(result.published()).as("the publish requested before the refusal").isEmpty();
      assertThat(account.state("alice")).isEqualTo(new Bank.Balance(100));
    }

    @Test
    void aThrowingHandlerChangesNothingAndEmitsNothing() {
      account.invoke("alice", new Bank.Deposit(100));

      Invocation<Bank.Balance> result = account.invoke("alice", new Bank.Crash());

      assertThat(result.failure()).isInstanceOf(IllegalStateException.class).hasMessage("boom");
      assertThat(result.state()).isEqualTo(new Bank.Balance(100));
      assertThat(result.sent()).isEmpty();
    }

    @Test
    void theInstanceGoesOnAfterAFailure() {
      account.invoke("alice", new Bank.Crash());

      Invocation<Bank.Balance> result = account.invoke("alice", new Bank.Deposit(5));

      assertThat(result.failure()).isNull();
      assertThat(result.state()).isEqualTo(new Bank.Balance(5));
    }

    @Test
    void aMessageWithoutHandlerFailsAndNamesTheFunctionAndTheType() {
      Invocation<Bank.Balance> result = account.invoke("alice", "just a string");

      assertThat(result.failure())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("function 'account' has no handler for java.lang.String");
      assertThat(result.state()).isEqualTo(new Bank.Balance(0));
    }

    @Test
    void aHandlerReturningNoStateFailsAndKeepsTheState() {
      account.invoke("alice", new Bank.Deposit(100));

      Invocation<Bank.Balance> result = account.invoke("alice", new Bank.Forget());

      assertThat(result.failure())
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("function 'account' returned no state");
      assertThat(result.state()).isEqualTo(new Bank.Balance(100));
      assertThat(account.state("alice")).isEqualTo(new Bank.Balance(100));
    }

    @Test
    void aMessageToAnUndeclaredFunctionTypeFailsAsAtRuntime() {
      Invocation<Bank.Balance> result = account.invoke("alice", new Bank.SendNowhere());

      assertThat(result.failure())
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("function 'account' sent to unknown function type 'nobody'");
      assertThat(result.sent()).isEmpty();
    }

    @Test
    void aMessageTheTargetHasNoHandlerForFailsAsAtRuntime() {
      Invocation<Bank.Balance> result = account.invoke("alice", new Bank.SendUnhandled());

      assertThat(result.failure())
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("function 'account' sent Balance to 'account', which has no handler for it");
      assertThat(result.sent()).isEmpty();
    }

    @Test
    void aPublishToAnUndeclaredTopicFailsAsAtRuntime() {
      Invocation<Bank.Balance> result = account.invoke("alice", new Bank.PublishNowhere());

      assertThat(result.failure())
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(
              "function 'account' published to topic 'gossip', which the application does not"
                  + " declare");
      assertThat(result.published()).isEmpty();
    }
  }
}
