using System.Net;
using NetLab.Dns.Client;
using NetLab.Ftp.Client;
using Spectre.Console;

namespace NetLab.Hosts.FtpClient;

/// <summary>The verbs of ftp-client; each returns the exit code.</summary>
internal static class ClientCommands
{
    /// <summary>Transfers at least this large get a progress bar (when stdout is a terminal).</summary>
    private const long ProgressThreshold = 1 << 20;

    public static async Task<int> RunAsync(NetLab.Ftp.Client.FtpClient client, FtpUrl url, string verb, string[] arguments, bool resume, CancellationToken ct)
    {
        switch (verb)
        {
            case "ls":
                Console.Write(await client.ListAsync(url.Path.Length <= 1 ? null : url.Path, ct));
                return 0;
            case "get":
                return await GetAsync(client, url, arguments, resume, ct);
            case "put":
                return await PutAsync(client, url, arguments, resume, ct);
            case "mkdir":
                foreach (string path in Targets(url, arguments))
                {
                    await client.MakeDirectoryAsync(path, ct);
                    Console.Error.WriteLine($"created {path}");
                }
                return 0;
            case "rm":
                foreach (string path in Targets(url, arguments))
                {
                    // A trailing '/' names a directory (RMD); anything else is a file (DELE).
                    await (path.EndsWith('/') ? client.RemoveDirectoryAsync(path.TrimEnd('/'), ct) : client.DeleteFileAsync(path, ct));
                    Console.Error.WriteLine($"removed {path}");
                }
                return 0;
            default:
                Console.Error.WriteLine($"ftp-client: unknown command '{verb}'; use ls, get, put, mkdir or rm");
                return 2;
        }
    }

    /// <summary>The URL path itself, or each argument taken relative to it when arguments are given.</summary>
    private static IEnumerable<string> Targets(FtpUrl url, string[] arguments)
        => arguments.Length == 0 ? [url.Path] : arguments.Select(a => a.StartsWith('/') ? a : url.Path.TrimEnd('/') + "/" + a);

    private static async Task<int> GetAsync(NetLab.Ftp.Client.FtpClient client, FtpUrl url, string[] arguments, bool resume, CancellationToken ct)
    {
        if (url.IsDirectoryPath)
        {
            Console.Error.WriteLine("ftp-client: get needs a file URL, e.g. ftp://host/dir/file.txt");
            return 2;
        }
        string local = arguments.Length > 0 ? arguments[0] : Path.GetFileName(url.Path);
        if (local == "-")
        {
            await using var stdout = Console.OpenStandardOutput();
            await client.DownloadAsync(url.Path, stdout, 0, null, ct);
            return 0;
        }
        long offset = resume && File.Exists(local) ? new FileInfo(local).Length : 0;
        long? size = await client.GetSizeAsync(url.Path, ct);
        if (resume && size is { } remote && offset == remote)
        {
            Console.Error.WriteLine($"{local} is already complete ({remote} bytes)");
            return 0;
        }
        await using var file = new FileStream(local, offset > 0 ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        long received = await WithProgressAsync($"get {Path.GetFileName(url.Path)}", size, offset,
            progress => client.DownloadAsync(url.Path, file, offset, progress, ct));
        Console.Error.WriteLine($"{url.Path} -> {local}: {received} bytes{(offset > 0 ? $" (resumed at {offset})" : "")}");
        return 0;
    }

    private static async Task<int> PutAsync(NetLab.Ftp.Client.FtpClient client, FtpUrl url, string[] arguments, bool resume, CancellationToken ct)
    {
        if (arguments.Length == 0)
        {
            Console.Error.WriteLine("ftp-client: put needs local files, e.g. ftp-client ftp://host/dir/ put report.txt");
            return 2;
        }
        if (arguments.Length > 1 && !url.IsDirectoryPath)
        {
            Console.Error.WriteLine("ftp-client: several files go to a directory URL ending with '/'");
            return 2;
        }
        foreach (string local in arguments)
        {
            if (!File.Exists(local))
            {
                Console.Error.WriteLine($"ftp-client: {local} does not exist");
                return 2;
            }
            string remote = url.Join(Path.GetFileName(local));
            long offset = resume ? await client.GetSizeAsync(remote, ct) ?? 0 : 0;
            await using var file = new FileStream(local, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
            if (offset >= file.Length && resume)
            {
                Console.Error.WriteLine($"{remote} is already complete ({offset} bytes)");
                continue;
            }
            file.Seek(offset, SeekOrigin.Begin);
            long sent = await WithProgressAsync($"put {Path.GetFileName(local)}", file.Length, offset,
                progress => client.UploadAsync(file, remote, offset, progress, ct));
            Console.Error.WriteLine($"{local} -> {remote}: {sent} bytes{(offset > 0 ? $" (resumed at {offset})" : "")}");
        }
        return 0;
    }

    /// <summary>Runs a transfer with a Spectre.Console progress bar and speed when the total is known,
    /// large, and stdout is a terminal; otherwise silently.</summary>
    private static async Task<long> WithProgressAsync(string description, long? total, long already, Func<IProgress<long>?, Task<long>> transfer)
    {
        if (total is not { } size || size - already < ProgressThreshold || Console.IsOutputRedirected)
        {
            return await transfer(null);
        }
        long result = 0;
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(),
                new TransferSpeedColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(description, maxValue: size);
                task.Value = already;
                result = await transfer(new Progress<long>(bytes => task.Value = already + bytes));
                task.Value = size;
            });
        return result;
    }

    /// <summary>The server's address: a literal, the system resolver, or --dns through NetLab.Dns.</summary>
    public static async Task<IPAddress> ResolveAsync(string host, IPEndPoint? dnsServer, CancellationToken ct)
    {
        if (IPAddress.TryParse(host, out var literal))
        {
            return literal;
        }
        if (dnsServer is not null)
        {
            return await ResolveThroughDnsAsync(host, dnsServer, ct);
        }
        var addresses = await System.Net.Dns.GetHostAddressesAsync(host, ct);
        return addresses.FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork) ?? addresses.First();
    }

    private static async Task<IPAddress> ResolveThroughDnsAsync(string host, IPEndPoint dnsServer, CancellationToken ct)
    {
        var addresses = await DnsLookup.ResolveIPv4Async(host, dnsServer, ct);
        return addresses.Count > 0 ? addresses[0] : throw new DnsLookupException($"{dnsServer} has no A record for {host}");
    }
}
