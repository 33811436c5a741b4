using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace NetLab.Testing;

/// <summary>A fresh directory under /tmp, removed on dispose.</summary>
public sealed class FtpTempDirectory : IDisposable
{
    public FtpTempDirectory()
    {
        Path = Directory.CreateTempSubdirectory("netlab-ftp-").FullName;
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>Creates a file of random bytes and returns its path.</summary>
    public string RandomFile(string relativePath, int length)
    {
        string path = Combine(relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, RandomNumberGenerator.GetBytes(length));
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A server still closing may hold a file; /tmp is cleaned eventually.
        }
    }
}

/// <summary>Throwaway self-signed certificate for FTPS tests, written as PEM files.</summary>
public static class FtpTestCertificate
{
    public static (string CertificatePath, string KeyPath) Create(string directory)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        string certPath = System.IO.Path.Combine(directory, "cert.pem");
        string keyPath = System.IO.Path.Combine(directory, "key.pem");
        File.WriteAllText(certPath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return (certPath, keyPath);
    }
}

/// <summary>The ftp-server program running on a free loopback port until disposed.</summary>
public sealed class FtpServerProcess : IDisposable
{
    private FtpServerProcess(BackgroundProcess process, int port)
    {
        Process = process;
        Port = port;
    }

    public BackgroundProcess Process { get; }
    public int Port { get; }
    public string Url(string user, string password, string path = "/") => $"ftp://{user}:{password}@127.0.0.1:{Port}{path}";

    public static FtpServerProcess Start(string root, params string[] arguments)
    {
        int port = FreePort.Tcp();
        var process = new BackgroundProcess("dotnet",
            [Repo.ProgramDll("ftp-server"), "--root", root, "--listen", $"127.0.0.1:{port}", "--login-delay", "50ms", .. arguments]);
        try
        {
            process.WaitForLine("listening on", TimeSpan.FromSeconds(30));
        }
        catch
        {
            process.Dispose();
            throw;
        }
        return new FtpServerProcess(process, port);
    }

    public void Dispose() => Process.Dispose();
}

/// <summary>A fact that needs Debian's /usr/bin/python3 with a module (pyftpdlib), not the pyenv python3 on PATH.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SystemPythonFactAttribute : Xunit.FactAttribute
{
    public const string Python = "/usr/bin/python3";

    public SystemPythonFactAttribute(string module = "ftplib")
    {
        if (!File.Exists(Python))
        {
            Skip = "needs /usr/bin/python3 (Debian python3); scripts/test.sh installs it";
        }
        else if (Shell.Run(Python, ["-c", $"import {module}"], TimeSpan.FromSeconds(20)).ExitCode != 0)
        {
            Skip = $"needs the Python module {module} for /usr/bin/python3 (Debian python3-{module}); scripts/test.sh installs it";
        }
    }
}
