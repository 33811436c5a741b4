using System.Globalization;
using NetLab.Testing;

namespace NetLab.Pcap.Tests;

/// <summary>What tshark reads from a capture file, to hold our reader and writer against.</summary>
internal sealed record TsharkFrame(long EpochTicks, int Length, int CapturedLength, string Md5);

internal static class Tshark
{
    /// <summary>One entry per frame: timestamp (as 100 ns ticks since 1970), lengths and the MD5 of the bytes.</summary>
    public static IReadOnlyList<TsharkFrame> Frames(string path)
    {
        var result = Shell.Run("tshark", ["-r", path, "-o", "frame.generate_md5_hash:TRUE", "-T", "fields",
            "-e", "frame.time_epoch", "-e", "frame.len", "-e", "frame.cap_len", "-e", "frame.md5_hash"], TimeSpan.FromSeconds(60));
        Assert.True(result.ExitCode == 0, $"tshark -r {path} failed: {result.Output}");
        return result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line =>
        {
            string[] fields = line.Split('\t');
            return new TsharkFrame(ParseEpochTicks(fields[0]), int.Parse(fields[1], CultureInfo.InvariantCulture),
                int.Parse(fields[2], CultureInfo.InvariantCulture), fields[3]);
        }).ToList();
    }

    /// <summary>Number of frames matching a display filter.</summary>
    public static int Count(string path, string displayFilter, params string[] options)
    {
        var result = Shell.Run("tshark", ["-r", path, .. options, "-Y", displayFilter, "-T", "fields", "-e", "frame.number"], TimeSpan.FromSeconds(60));
        Assert.True(result.ExitCode == 0, $"tshark -r {path} -Y {displayFilter} failed: {result.Output}");
        return result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
    }

#pragma warning disable CA5351 // tshark's only frame digest is MD5 (frame.md5_hash); it compares bytes, it protects nothing.
    public static string Md5(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(data));
#pragma warning restore CA5351

    public static long TicksSinceEpoch(DateTimeOffset timestamp) => (timestamp - DateTimeOffset.UnixEpoch).Ticks;

    /// <summary>"1742291025.393317000" (seconds, nanoseconds) as ticks, truncated like DateTimeOffset.</summary>
    private static long ParseEpochTicks(string text)
    {
        string[] parts = text.Split('.');
        long seconds = long.Parse(parts[0], CultureInfo.InvariantCulture);
        long nanoseconds = parts.Length > 1 ? long.Parse(parts[1].PadRight(9, '0')[..9], CultureInfo.InvariantCulture) : 0;
        return (seconds * TimeSpan.TicksPerSecond) + (nanoseconds / 100);
    }
}
