using System.Net;
using NetLab.Testing;

namespace Dns.Server.Tests;

/// <summary>dns-server started as its own process on a free loopback port, ended by PID on dispose.</summary>
public sealed class DnsServerProcess : IDisposable
{
    private DnsServerProcess(BackgroundProcess process, int port)
    {
        Process = process;
        Port = port;
    }

    public BackgroundProcess Process { get; }
    public int Port { get; }
    public IPEndPoint Endpoint => new(IPAddress.Loopback, Port);

    public static DnsServerProcess Start(params string[] args)
    {
        int port = FreePort.UdpAndTcp();
        var process = new BackgroundProcess("dotnet", [Repo.ProgramDll("dns-server"), "--listen", $"127.0.0.1:{port}", "--workers", "2", .. args]);
        try
        {
            process.WaitForLine("listening on", TimeSpan.FromSeconds(30));
        }
        catch
        {
            process.Dispose();
            throw;
        }
        return new DnsServerProcess(process, port);
    }

    /// <summary>Asks for the counters (SIGUSR1) and returns the line printed.</summary>
    public string Counters()
    {
        int before = Process.Output.Split('\n').Count(l => l.StartsWith("counters:", StringComparison.Ordinal));
        Process.Signal(10);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            var lines = Process.Output.Split('\n').Where(l => l.StartsWith("counters:", StringComparison.Ordinal)).ToList();
            if (lines.Count > before)
            {
                return lines[^1];
            }
            Thread.Sleep(50);
        }
        throw new TimeoutException("dns-server printed no counters after SIGUSR1:\n" + Process.Output);
    }

    public void Dispose() => Process.Dispose();
}

/// <summary>dig and kdig runs, and the parts of their output the tests compare.</summary>
public static class Dig
{
    public static string Run(string tool, int port, params string[] args)
    {
        var result = Shell.Run(tool, ["@127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), .. args], TimeSpan.FromSeconds(30));
        Assert.True(result.ExitCode == 0, $"{tool} {string.Join(' ', args)} failed ({result.ExitCode}):\n{result.Output}");
        return result.Stdout;
    }

    /// <summary>Record lines of a section with whitespace normalised and names lower-cased, sorted.</summary>
    public static List<string> Records(string output) =>
        [.. output.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith(';'))
            .Select(l => string.Join(' ', l.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries)))
            .Select(l => l.Split(' ', 2) is [var owner, var rest] ? owner.ToLowerInvariant() + " " + rest : l)
            .Order(StringComparer.Ordinal)];

    public static string Status(string output) =>
        System.Text.RegularExpressions.Regex.Match(output, @"status: (\w+)") is { Success: true } m ? m.Groups[1].Value : "(none)";
}
