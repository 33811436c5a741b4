namespace NetLab.Protocols.Tests.Frames;

internal delegate bool SpanReader(ReadOnlySpan<byte> source);

internal static class Truncation
{
    /// <summary>Feeds every prefix shorter than <paramref name="requiredLength"/> to <paramref name="read"/> and
    /// asserts each is rejected, then checks that the full-length input is accepted (so the test can fail both ways).</summary>
    public static void AssertEveryShorterPrefixFails(byte[] data, int requiredLength, SpanReader read)
    {
        for (int length = 0; length < requiredLength; length++)
        {
            Assert.False(read(data.AsSpan(0, length)), $"a {length}-byte prefix of {requiredLength} was accepted");
        }
        Assert.True(read(data.AsSpan(0, requiredLength)), "the complete input was rejected");
    }
}
