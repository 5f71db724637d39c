@echo off
rem county-rollup: drop the folder of annual reports on this file.
rem The outputs and the workbook county_rollup.xlsx go into FOLDER_<hui zong>
rem beside the folder; the window stays open until Enter is pressed.
rem This file is ASCII only (cmd.exe reads it in any code page); the program
rem prints the Chinese itself. The console's code page is put back at the end.
setlocal
set "oldcp="
for /f "tokens=2 delims=:" %%c in ('chcp') do set "oldcp=%%c"
chcp 65001 >nul
if "%~1"=="" (
    "%~dp0county-rollup.exe"
) else (
    "%~dp0county-rollup.exe" "%~1" --xlsx --pause
)
set "status=%errorlevel%"
if defined oldcp chcp %oldcp% >nul
exit /b %status%
