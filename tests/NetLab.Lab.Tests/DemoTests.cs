using System.Text.RegularExpressions;
using NetLab.Protocols.Addressing;
using NetLab.Testing;

namespace NetLab.Lab.Tests;

/// <summary>scripts/demo.sh end to end, as a new user runs it: build, lab, servers, two clients booting
/// through DHCP, DNS and FTP, auth, sniffer report, and nothing left behind.</summary>
public sealed class DemoTests
{
    [RootFact("tshark")]
    public void Demo_TwoClients_BootThroughDhcpDnsFtp_AndLeaveNothingBehind()
    {
        string lab = "d" + Guid.NewGuid().ToString("N")[..8];
        string results = Directory.CreateTempSubdirectory("netlab-demo-").FullName;
        try
        {
            var demo = Shell.Run(Path.Combine(Repo.Root, "scripts", "demo.sh"),
                ["--lab", lab, "--clients", "2", "--results", results], TimeSpan.FromMinutes(15));
            Assert.True(demo.ExitCode == 0, demo.Output);

            // Each client leased a distinct address from the pool 192.168.10.100-200.
            var addresses = new[] { "client1", "client2" }.Select(client => LeaseField(results, client, "address")).ToList();
            foreach (string address in addresses)
            {
                var ip = IPv4Address.Parse(address.Split('/')[0]);
                Assert.InRange(ip.Value, IPv4Address.Parse("192.168.10.100").Value, IPv4Address.Parse("192.168.10.200").Value);
            }
            Assert.NotEqual(addresses[0], addresses[1]);
            Assert.Equal("192.168.10.1", LeaseField(results, "client1", "dns"));

            // ftp.lab.test resolved to the server, and the downloaded file is the served one, byte for byte.
            Assert.Equal("192.168.10.1", File.ReadAllText(Path.Combine(results, "client1", "dns.txt")).Trim());
            Assert.Equal(File.ReadAllBytes(Path.Combine(results, "ftp-root", "pub", "readme.txt")),
                File.ReadAllBytes(Path.Combine(results, "client1", "readme.txt")));
            Assert.True(File.Exists(Path.Combine(results, "ftp-root", "upload", "client2-readme.txt")), demo.Output);

            // The clients found each other by the host names they gave DHCP.
            Assert.Matches(@"client1 resolves client2\.lab\.test to 192\.168\.10\.\d+", demo.Stdout);
            Assert.Contains(addresses[1].Split('/')[0], demo.Stdout, StringComparison.Ordinal);

            // The user registered and logged in, and the report shows all four protocols.
            Assert.Matches(new Regex("logged in", RegexOptions.IgnoreCase), demo.Stdout);
            string report = File.ReadAllText(Path.Combine(results, "report.txt"));
            foreach (string protocol in new[] { "DHCP", "DNS", "FTP", "Auth" })
            {
                Assert.Matches(new Regex(protocol, RegexOptions.IgnoreCase), report);
            }
            Assert.True(File.Exists(Path.Combine(results, "report.html")));
            int frames = Shell.Check("tshark", "-r", Path.Combine(results, "capture.pcap"), "-T", "fields", "-e", "frame.number")
                .Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
            Assert.True(frames > 20, $"only {frames} frames captured");
        }
        finally
        {
            Shell.Run(Path.Combine(Repo.Root, "scripts", "lab-down.sh"), "--lab", lab);
        }

        // Nothing of the lab is left: no namespace, no process working on the results folder.
        Assert.DoesNotContain(lab + "-", Shell.Check("ip", "netns", "list"), StringComparison.Ordinal);
        Assert.DoesNotContain(results, Shell.Check("ps", "-eo", "args"), StringComparison.Ordinal);
        Directory.Delete(results, recursive: true);
    }

    private static string LeaseField(string results, string client, string name)
    {
        string lease = File.ReadAllText(Path.Combine(results, client, "dhcp.txt"));
        var match = Regex.Match(lease, $@"^{name}\s+(\S+)", RegexOptions.Multiline);
        Assert.True(match.Success, $"no '{name}' in {client}'s lease:\n{lease}");
        return match.Groups[1].Value;
    }
}
