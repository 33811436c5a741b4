using NetLab.Protocols.Text;

namespace NetLab.Protocols.Tests.Text;

public class DurationTextTests
{
    [Theory]
    [InlineData("500ms", 0.5)]
    [InlineData("1.5s", 1.5)]
    [InlineData("20s", 20)]
    [InlineData("10m", 600)]
    [InlineData("1h", 3600)]
    [InlineData("2d", 172800)]
    [InlineData("1w", 604800)]
    [InlineData("90", 90)]
    [InlineData(" 30S ", 30)]
    public void TryParse_Units(string text, double seconds)
    {
        Assert.True(DurationText.TryParse(text, out var duration, out string? error), error);
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("s")]
    [InlineData("h")]
    [InlineData("5x")]
    [InlineData("-3s")]
    [InlineData("ten seconds")]
    [InlineData("1e9h")]
    [InlineData("99999d")]
    public void TryParse_Garbage_SaysWhatIsExpected(string? text)
    {
        Assert.False(DurationText.TryParse(text, out _, out string? error));
        Assert.Contains("e.g. 500ms, 10s", error, StringComparison.Ordinal);
        Assert.False(DurationText.TryParse(text, out _));
    }
}
