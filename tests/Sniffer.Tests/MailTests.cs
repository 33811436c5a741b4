using NetLab.Testing;

namespace NetLab.Sniffer.Hosts.Tests;

/// <summary>The report mailed through a real SMTP server (aiosmtpd saving to a Maildir).</summary>
public sealed class MailTests
{
    private const string Python = "/usr/bin/python3";
    private static string Capture => Path.Combine(Repo.TcpdumpCaptures, "dhcp-rfc4388.pcap");

    [ToolFact(Python)]
    public void Report_ArrivesAsHtmlWithTextAlternative_AndThePcapAttached()
    {
        using var dir = new TempDirectory();
        int port = FreePort.Tcp();
        using var smtp = new BackgroundProcess(Python, ["-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{port}", "-c", "aiosmtpd.handlers.Mailbox", dir.File("maildir")]);
        WaitForPort(port, smtp);

        var result = SnifferProgram.Run("--read", Capture, "--quiet", "--write", dir.File("capture.pcap"), "--report-file", dir.File("report.html"),
            "--mail-to", "admin@lab.test", "--mail-from", "sniffer@lab.test", "--smtp", $"127.0.0.1:{port}");
        Assert.True(result.ExitCode == 0, result.Output);

        string message = File.ReadAllText(Assert.Single(Directory.GetFiles(Path.Combine(dir.File("maildir"), "new"))));
        Assert.Contains("To: admin@lab.test", message, StringComparison.Ordinal);
        Assert.Contains("multipart/alternative", message, StringComparison.Ordinal);
        Assert.Contains("Content-Type: text/plain", message, StringComparison.Ordinal);
        Assert.Contains("Content-Type: text/html", message, StringComparison.Ordinal);
        Assert.Contains("filename=capture.pcap", message, StringComparison.Ordinal);
        // The attachment decodes to the very pcap written.
        var parts = message.Split("filename=capture.pcap")[1];
        string base64 = string.Concat(parts.Split('\n').SkipWhile(l => l.Trim().Length > 0).Skip(1).TakeWhile(l => !l.StartsWith("--", StringComparison.Ordinal)).Select(l => l.Trim()));
        Assert.Equal(File.ReadAllBytes(dir.File("capture.pcap")), Convert.FromBase64String(base64));
        Assert.True(File.Exists(dir.File("report.html")));
    }

    [Fact]
    public void SmtpServerDown_KeepsTheReport_AndExitSaysNotSent()
    {
        using var dir = new TempDirectory();
        int port = FreePort.Tcp(); // nothing listens there
        var result = SnifferProgram.Run("--read", Capture, "--quiet", "--report", "html", "--report-file", dir.File("report.html"),
            "--mail-to", "admin@lab.test", "--smtp", $"127.0.0.1:{port}");
        Assert.Equal(3, result.ExitCode);
        Assert.Contains("NOT mailed", result.Stderr, StringComparison.Ordinal);
        Assert.Contains(dir.File("report.html"), result.Stderr, StringComparison.Ordinal);
        Assert.Contains("<svg", File.ReadAllText(dir.File("report.html")), StringComparison.Ordinal);
    }

    private static void WaitForPort(int port, BackgroundProcess server)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var client = new System.Net.Sockets.TcpClient("127.0.0.1", port);
                return;
            }
            catch (System.Net.Sockets.SocketException)
            {
                Assert.False(server.HasExited, "aiosmtpd exited: " + server.Output);
                Thread.Sleep(100);
            }
        }
        throw new TimeoutException("aiosmtpd did not listen: " + server.Output);
    }
}
