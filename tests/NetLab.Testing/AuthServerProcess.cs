namespace NetLab.Testing;

/// <summary>A real auth-server process on 127.0.0.1 and a free port, with a fast PBKDF2 count; ended by
/// PID on dispose. The test project must reference Auth.Server so auth-server.dll sits beside it.</summary>
public sealed class AuthServerProcess : IDisposable
{
    public const int TestIterations = 1000;

    private readonly BackgroundProcess _process;

    public AuthServerProcess(string databaseSpec, params string[] extraArgs)
    {
        Port = FreePort.Tcp();
        DatabaseSpec = databaseSpec;
        _process = new BackgroundProcess("dotnet",
            [Repo.ProgramDll("auth-server"), "--listen", $"127.0.0.1:{Port}", "--db", databaseSpec,
             "--pbkdf2-iterations", TestIterations.ToString(System.Globalization.CultureInfo.InvariantCulture), .. extraArgs]);
        _process.WaitForLine("listening on", TimeSpan.FromSeconds(60));
    }

    public int Port { get; }
    public string DatabaseSpec { get; }
    public string Server => $"127.0.0.1:{Port}";
    public BackgroundProcess Process => _process;
    public string Output => _process.Output;

    public void Dispose() => _process.Dispose();
}

/// <summary>A private MariaDB server for one test (its own data directory and port) through
/// scripts/lib/mariadb.sh, so a test may stop and restart it without disturbing other tests.</summary>
public sealed class PrivateMariaDb : IDisposable
{
    private readonly string _script = Path.Combine(Repo.Root, "scripts", "lib", "mariadb.sh");

    public PrivateMariaDb()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("netlab-mariadb-").FullName;
        Spec = Control("start").Trim();
    }

    public static string? SkipReason => Requirements.Missing(false, ["mariadbd", "mariadb-install-db", "mariadb"]);

    public string Directory { get; }
    public string Spec { get; }

    public int Pid => int.Parse(Control("pid").Trim(), System.Globalization.CultureInfo.InvariantCulture);

    public void Stop() => Control("stop");

    public void Start() => Control("start");

    public void Dispose()
    {
        Shell.Run(_script, ["stop", Directory], TimeSpan.FromSeconds(60));
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private string Control(string command)
    {
        var result = Shell.Run(_script, [command, Directory], TimeSpan.FromSeconds(120));
        return result.ExitCode == 0 ? result.Stdout
            : throw new InvalidOperationException($"mariadb.sh {command} failed ({result.ExitCode}): {result.Output}");
    }
}
