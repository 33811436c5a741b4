// NetLab runs on Linux only (network namespaces, libpcap); Unix file modes are fine to use here.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
