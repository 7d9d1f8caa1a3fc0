// Every file of this target uses the shared server process and line client.
@_exported import WardenTestSupport
