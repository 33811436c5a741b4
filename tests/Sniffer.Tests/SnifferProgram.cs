using NetLab.Sniffer.Reporting;
using NetLab.Testing;

namespace NetLab.Sniffer.Hosts.Tests;

/// <summary>Runs the sniffer executable (sniffer.dll beside the tests) to completion.</summary>
internal static class SnifferProgram
{
    public static Shell.Result Run(params string[] args) =>
        Shell.Run("dotnet", [Repo.ProgramDll("sniffer"), .. args], TimeSpan.FromSeconds(120));

    public static CaptureReport ReadJsonReport(string path) =>
        JsonReportRenderer.Parse(File.ReadAllText(path)) ?? throw new InvalidDataException($"{path} holds no report");

    /// <summary>Frames tshark counts in a capture file.</summary>
    public static int TsharkFrameCount(string pcap)
    {
        var result = Shell.Run("tshark", ["-n", "-r", pcap, "-T", "fields", "-e", "frame.number"], TimeSpan.FromSeconds(60));
        Assert.True(result.ExitCode == 0, result.Output);
        return result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
    }
}

/// <summary>A directory under /tmp removed on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "netlab-sniffer-" + Guid.NewGuid().ToString("N")[..8]);

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A process still writing there; the directory is in /tmp.
        }
    }
}
