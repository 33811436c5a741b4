using System.CommandLine;
using System.Globalization;
using NetLab.Dhcp.Leases;
using Spectre.Console;

namespace NetLab.Hosts.DhcpServer;

/// <summary>`dhcp-server leases --lease-file F [--json]`: the active leases of a lease file.</summary>
internal static class LeasesCommand
{
    public static Command Create()
    {
        var file = new Option<string>("--lease-file") { Description = "lease journal to read", DefaultValueFactory = _ => "/var/lib/netlab/dhcp-leases.jsonl" };
        var json = new Option<bool>("--json") { Description = "print a JSON array (the lease file's fields) instead of a table" };
        var all = new Option<bool>("--all") { Description = "also list released, declined and expired records" };
        var command = new Command("leases", "print the active leases of a lease file") { file, json, all };
        command.SetAction(parseResult =>
        {
            string path = parseResult.GetValue(file)!;
            if (!File.Exists(path))
            {
                Console.Error.WriteLine($"dhcp-server leases: no lease file at {path}; give the server's --lease-file");
                return 1;
            }
            var now = DateTimeOffset.UtcNow;
            var leases = LeaseJournal.Load(path, out int skipped, out _).Values
                .Where(l => parseResult.GetValue(all) || l.IsActiveAt(now))
                .OrderBy(l => l.Address)
                .ToList();
            if (parseResult.GetValue(json))
            {
                Console.WriteLine("[" + string.Join(",", leases.Select(l => System.Text.Encoding.UTF8.GetString(LeaseJournal.Serialize(l)))) + "]");
            }
            else
            {
                PrintTable(leases, now);
            }
            if (skipped > 0)
            {
                Console.Error.WriteLine($"dhcp-server leases: skipped {skipped} unreadable line(s) in {path}");
            }
            return 0;
        });
        return command;
    }

    private static void PrintTable(List<Lease> leases, DateTimeOffset now)
    {
        var table = new Table().AddColumns("IP", "MAC", "Hostname", "Client ID", "Expires (UTC)", "Remaining", "State");
        foreach (var lease in leases)
        {
            var remaining = lease.Expires - now;
            table.AddRow(
                lease.Address.ToString(),
                lease.Mac.ToString(),
                Markup.Escape(lease.HostName ?? "-"),
                lease.ClientIdHex ?? "-",
                lease.Expires.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                remaining > TimeSpan.Zero ? remaining.ToString(@"d\.hh\:mm\:ss", CultureInfo.InvariantCulture) : "-",
                lease.EffectiveStateAt(now).ToString().ToLowerInvariant());
        }
        if (Console.IsOutputRedirected)
        {
            // Piped or captured output has no terminal width; a whole MAC or date on one line beats wrapping at 80.
            AnsiConsole.Profile.Width = 160;
        }
        AnsiConsole.Write(table);
        AnsiConsole.WriteLine($"{leases.Count} lease(s)");
    }
}
