@{
    RootModule        = 'ProfileJobsBench.dll'
    ModuleVersion     = '1.0.0'
    GUID              = '0b5a7c0e-8f34-4c2b-9d7e-5a1f3e2d4c6b'
    Description       = 'The benchmarks'' floor module: the smallest binary module, and two cmdlets that only count, and the cold floor of Import + Connect + list (Measure-BenchColdFloor).'
    CmdletsToExport   = @('Measure-BenchCount', 'Measure-BenchIdentity', 'Measure-BenchColdFloor')
    FunctionsToExport = @()
    VariablesToExport = @()
    AliasesToExport   = @()
}
