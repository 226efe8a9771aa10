package io.continuum.topic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class EntryCacheTest {

  private static Entry entry(long index, int bytes) {
    return new Entry(index, new byte[bytes], null, 0, 0);
  }

  private static EntryCache cacheOf(int maxEntries, long maxBytes, int count, int bytesEach) {
    EntryCache cache = new EntryCache(maxEntries, maxBytes);
    for (long index = 1; index <= count; index++) {
      cache.add(entry(index, bytesEach));
    }
    return cache;
  }

  private static List<Long> indexes(List<Entry> entries) {
    return entries.stream().map(Entry::index).toList();
  }

  @Test
  void emptyCacheCoversNothing() {
    EntryCache cache = new EntryCache(10, 1000);

    assertThat(cache.covers(1)).isFalse();
    assertThat(cache.range(1, 10, 1000)).isEmpty();
    assertThat(cache.newest()).isEmpty();
  }

  @Test
  void keepsTheNewestEntriesUpToItsCount() {
    EntryCache cache = cacheOf(3, 1000, 5, 1);

    assertThat(cache.covers(2)).isFalse();
    assertThat(cache.covers(3)).isTrue();
    assertThat(indexes(cache.range(1, 10, 1000))).containsExactly(3L, 4L, 5L);
    assertThat(cache.newest()).map(Entry::index).contains(5L);
  }

  @Test
  void keepsTheNewestEntriesUpToItsBytes() {
    EntryCache cache = cacheOf(100, 10, 3, 4);

    assertThat(cache.covers(1)).isFalse();
    assertThat(indexes(cache.range(1, 10, 1000))).containsExactly(2L, 3L);
  }

  @Test
  void keepsTheNewestEntryEvenWhenItAloneExceedsItsBytes() {
    EntryCache cache = new EntryCache(100, 10);
    cache.add(entry(1, 4));

    cache.add(entry(2, 50));

    assertThat(cache.covers(1)).isFalse();
    assertThat(cache.covers(2)).isTrue();
    assertThat(indexes(cache.range(2, 10, 1000))).containsExactly(2L);
  }

  @Test
  void anOversizedEntryMakesWayForTheNextOne() {
    EntryCache cache = new EntryCache(100, 10);
    cache.add(entry(1, 50));

    cache.add(entry(2, 4));

    assertThat(cache.covers(1)).isFalse();
    assertThat(indexes(cache.range(1, 10, 1000))).containsExactly(2L);
  }

  @Test
  void rangeStartsAtTheIndexAsked() {
    EntryCache cache = cacheOf(10, 1000, 5, 1);

    assertThat(indexes(cache.range(3, 10, 1000))).containsExactly(3L, 4L, 5L);
  }

  @Test
  void rangeReturnsAtMostMaxEntries() {
    EntryCache cache = cacheOf(10, 1000, 5, 1);

    assertThat(indexes(cache.range(2, 2, 1000))).containsExactly(2L, 3L);
  }

  @Test
  void rangeStopsBeforeExceedingMaxBytes() {
    EntryCache cache = cacheOf(10, 1000, 5, 4);

    assertThat(indexes(cache.range(1, 10, 11))).containsExactly(1L, 2L);
    assertThat(indexes(cache.range(1, 10, 12))).containsExactly(1L, 2L, 3L);
  }

  @Test
  void rangeReturnsAtLeastOneEntryEvenIfItExceedsMaxBytes() {
    EntryCache cache = cacheOf(10, 1000, 3, 40);

    assertThat(indexes(cache.range(2, 10, 10))).containsExactly(2L);
  }

  @Test
  void rangeBeyondTheNewestIsEmpty() {
    EntryCache cache = cacheOf(10, 1000, 3, 1);

    assertThat(cache.range(4, 10, 1000)).isEmpty();
  }

  @Test
  void anEntryThatDoesNotFollowTheNewestStartsTheCacheOver() {
    EntryCache cache = cacheOf(10, 1000, 3, 1);

    cache.add(entry(1, 1));
    cache.add(entry(2, 1));

    assertThat(indexes(cache.range(1, 10, 1000))).containsExactly(1L, 2L);
  }

  @Test
  void startingOverForgetsTheBytesOfTheOldEntries() {
    EntryCache cache = cacheOf(10, 10, 2, 5);

    cache.add(entry(1, 5));
    cache.add(entry(2, 5));

    assertThat(cache.covers(1)).isTrue();
  }

  @Test
  void dropAfterForgetsTheNewerEntries() {
    EntryCache cache = cacheOf(10, 1000, 5, 1);

    cache.dropAfter(3);

    assertThat(indexes(cache.range(1, 10, 1000))).containsExactly(1L, 2L, 3L);
    assertThat(cache.newest()).map(Entry::index).contains(3L);
  }

  @Test
  void dropAfterFreesTheBytesOfTheDroppedEntries() {
    EntryCache cache = cacheOf(10, 10, 2, 5);

    cache.dropAfter(1);
    cache.add(entry(2, 5));

    assertThat(cache.covers(1)).isTrue();
  }
}
