<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>app</name>
    <message>
        <source>Connecting to the database…</source>
        <translation>Verbindung zur Datenbank wird hergestellt…</translation>
    </message>
    <message>
        <source>Reading the catalog and your customers…</source>
        <translation>Katalog und Ihre Kunden werden gelesen…</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Verbinden…</translation>
    </message>
    <message>
        <source>Preparing the window…</source>
        <translation>Fenster wird vorbereitet…</translation>
    </message>
    <message>
        <source>First start: loading demo customers…</source>
        <translation>Erster Start: Demo-Kunden werden geladen…</translation>
    </message>
    <message>
        <source>Loading demo data…</source>
        <translation>Demodaten werden geladen…</translation>
    </message>
    <message>
        <source>loading demo data…</source>
        <translation>Demodaten werden geladen…</translation>
    </message>
    <message>
        <source>First start: {words}</source>
        <translation>Erster Start: {words}</translation>
    </message>
    <message>
        <source>The demo data could not be loaded: {detail}
Steward opens without it.</source>
        <translation>Die Demodaten konnten nicht geladen werden: {detail}
Steward startet ohne sie.</translation>
    </message>
    <message>
        <source>Opening the window…</source>
        <translation>Fenster wird geöffnet…</translation>
    </message>
    <message>
        <source>Steward cannot start — {title}</source>
        <translation>Steward kann nicht starten – {title}</translation>
    </message>
</context>
<context>
    <name>backup</name>
    <message>
        <source>Backups of a shared database are the admin&apos;s: steward db backup</source>
        <translation>Sicherungen einer gemeinsamen Datenbank macht die Administration: steward db backup</translation>
    </message>
    <message>
        <source>Back up the database</source>
        <translation>Datenbank sichern</translation>
    </message>
    <message>
        <source>Steward backup (*.dump)</source>
        <translation>Steward-Sicherung (*.dump)</translation>
    </message>
    <message>
        <source>Backing up to {name}…</source>
        <translation>Sicherung nach {name}…</translation>
    </message>
    <message>
        <source>Back up</source>
        <translation>Sichern</translation>
    </message>
    <message>
        <source>Backing up to {name}… {text}</source>
        <translation>Sicherung nach {name}… {text}</translation>
    </message>
    <message>
        <source>Backed up to {file} ({value:,.1f} MB).</source>
        <translation>Gesichert nach {file} ({value:,.1f} MB).</translation>
    </message>
    <message>
        <source>The backup</source>
        <translation>Die Sicherung</translation>
    </message>
</context>
<context>
    <name>cockpit.filters</name>
    <message>
        <source>Last 30 days</source>
        <translation>Letzte 30 Tage</translation>
    </message>
    <message>
        <source>Last 90 days</source>
        <translation>Letzte 90 Tage</translation>
    </message>
    <message>
        <source>This quarter</source>
        <translation>Dieses Quartal</translation>
    </message>
    <message>
        <source>This year</source>
        <translation>Dieses Jahr</translation>
    </message>
    <message>
        <source>Last 12 months</source>
        <translation>Letzte 12 Monate</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>Benutzerdefiniert</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>Region</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>Betreuer</translation>
    </message>
    <message>
        <source>Chain</source>
        <translation>Kette</translation>
    </message>
    <message>
        <source>Week</source>
        <translation>Woche</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>Monat</translation>
    </message>
    <message>
        <source>All regions</source>
        <translation>Alle Regionen</translation>
    </message>
    <message>
        <source>Anyone</source>
        <translation>Alle</translation>
    </message>
    <message>
        <source>&amp;Period</source>
        <translation>&amp;Zeitraum</translation>
    </message>
    <message>
        <source>&amp;Grain</source>
        <translation>&amp;Raster</translation>
    </message>
    <message>
        <source>&amp;Lines by</source>
        <translation>&amp;Linien nach</translation>
    </message>
    <message>
        <source>Re&amp;gion</source>
        <translation>Re&amp;gion</translation>
    </message>
    <message>
        <source>O&amp;wner</source>
        <translation>&amp;Betreuer</translation>
    </message>
    <message>
        <source>C&amp;hain</source>
        <translation>&amp;Kette</translation>
    </message>
    <message>
        <source>All chains — type a name</source>
        <translation>Alle Ketten – Name…</translation>
    </message>
    <message>
        <source>Loading your chains…</source>
        <translation>Ihre Ketten werden geladen…</translation>
    </message>
    <message>
        <source>Searching chains…</source>
        <translation>Ketten werden gesucht…</translation>
    </message>
</context>
<context>
    <name>cockpit.focus</name>
    <message>
        <source>today</source>
        <translation>heute</translation>
    </message>
    <message>
        <source>in {n} days</source>
        <translation>in {n} Tagen</translation>
    </message>
    <message>
        <source>in {n} day</source>
        <translation>in {n} Tag</translation>
    </message>
    <message>
        <source>{n} days ago</source>
        <translation>vor {n} Tagen</translation>
    </message>
    <message>
        <source>{n} day ago</source>
        <translation>vor {n} Tag</translation>
    </message>
    <message>
        <source>Overdue SLAs</source>
        <translation>Überfällige SLAs</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>Fällig</translation>
    </message>
    <message>
        <source>SLAs due soon</source>
        <translation>Bald fällige SLAs</translation>
    </message>
    <message>
        <source>Delivered, no feedback</source>
        <translation>Zugestellt, ohne Rückmeldung</translation>
    </message>
    <message>
        <source>Delivered</source>
        <translation>Zugestellt</translation>
    </message>
    <message>
        <source>Next SLA due</source>
        <translation>Nächstes SLA fällig</translation>
    </message>
    <message>
        <source>Renewals ≤ 90 days</source>
        <translation>Verlängerungen ≤ 90 Tage</translation>
    </message>
    <message>
        <source>Renewal</source>
        <translation>Verlängerung</translation>
    </message>
    <message>
        <source>Contract</source>
        <translation>Vertrag</translation>
    </message>
    <message>
        <source>Seasons opening ≤ 60 days</source>
        <translation>Saisonstart ≤ 60 Tage</translation>
    </message>
    <message>
        <source>Season start</source>
        <translation>Saisonbeginn</translation>
    </message>
    <message>
        <source>Season end</source>
        <translation>Saisonende</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Kunde</translation>
    </message>
    <message>
        <source>City</source>
        <translation>Ort</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>Region</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>Betreuer</translation>
    </message>
    <message>
        <source>Chain</source>
        <translation>Kette</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Wann</translation>
    </message>
    <message>
        <source>Double click or Enter opens the customer</source>
        <translation>Doppelklick oder Eingabetaste öffnet den Kunden</translation>
    </message>
</context>
<context>
    <name>cockpit.panel</name>
    <message>
        <source>PNG…</source>
        <translation>PNG…</translation>
    </message>
    <message>
        <source>Save the chart “{title}” as an image</source>
        <translation>Diagramm „{title}“ als Bild speichern</translation>
    </message>
    <message>
        <source>CSV…</source>
        <translation>CSV…</translation>
    </message>
    <message>
        <source>Save the numbers of “{title}” as CSV</source>
        <translation>Zahlen von „{title}“ als CSV speichern</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Wird geladen…</translation>
    </message>
    <message>
        <source>The numbers could not be read.
{text}</source>
        <translation>Die Zahlen konnten nicht gelesen werden.
{text}</translation>
    </message>
    <message>
        <source>Could not write {path}</source>
        <translation>{path} konnte nicht geschrieben werden</translation>
    </message>
    <message>
        <source>Writing {name}…</source>
        <translation>{name} wird geschrieben…</translation>
    </message>
    <message>
        <source>Writing the CSV file</source>
        <translation>Schreiben der CSV-Datei</translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation>PNG-Bild (*.png)</translation>
    </message>
    <message>
        <source>Saving the image</source>
        <translation>Speichern des Bildes</translation>
    </message>
    <message>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <source>Save “{text}”</source>
        <translation>„{text}“ speichern</translation>
    </message>
</context>
<context>
    <name>cockpit.pipeline</name>
    <message>
        <source>Nothing to show.</source>
        <translation>Nichts anzuzeigen.</translation>
    </message>
    <message>
        <source>Click to see these customers</source>
        <translation>Klicken zeigt diese Kunden</translation>
    </message>
    <message>
        <source>ROI pipeline</source>
        <translation>ROI-Pipeline</translation>
    </message>
    <message>
        <source>Customers</source>
        <translation>Kunden</translation>
    </message>
    <message>
        <source>ROI potential, € per month</source>
        <translation>ROI-Potenzial, € pro Monat</translation>
    </message>
    <message>
        <source>per month of ROI potential</source>
        <translation>pro Monat ROI-Potenzial</translation>
    </message>
    <message>
        <source>ROI bucket</source>
        <translation>ROI-Stufe</translation>
    </message>
    <message>
        <source>the customers in ROI bucket {bucket}</source>
        <translation>die Kunden der ROI-Stufe {bucket}</translation>
    </message>
    <message>
        <source>by ROI bucket, today</source>
        <translation>nach ROI-Stufe, heute</translation>
    </message>
    <message>
        <source>ROI consultations · {days_text}</source>
        <translation>ROI-Beratungen · {days_text}</translation>
    </message>
    <message>
        <source>Commitment levels</source>
        <translation>Verbindlichkeit</translation>
    </message>
    <message>
        <source>Consultations</source>
        <translation>Beratungen</translation>
    </message>
    <message>
        <source>ROI consultations</source>
        <translation>ROI-Beratungen</translation>
    </message>
    <message>
        <source>Savings discussed, € per month</source>
        <translation>Besprochene Einsparung, € pro Monat</translation>
    </message>
    <message>
        <source>per month of savings discussed</source>
        <translation>pro Monat besprochene Einsparung</translation>
    </message>
    <message>
        <source>Commitment level</source>
        <translation>Verbindlichkeit</translation>
    </message>
    <message>
        <source>the customers of the ROI consultations with commitment {level}</source>
        <translation>die Kunden der ROI-Beratungen mit Verbindlichkeit {level}</translation>
    </message>
</context>
<context>
    <name>cockpit.slas</name>
    <message>
        <source>Met on time</source>
        <translation>Rechtzeitig erfüllt</translation>
    </message>
    <message>
        <source>Met late</source>
        <translation>Verspätet erfüllt</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>Überfällig</translation>
    </message>
    <message>
        <source>Open, not yet due</source>
        <translation>Offen, noch nicht fällig</translation>
    </message>
    <message>
        <source>SLA adherence</source>
        <translation>SLA-Einhaltung</translation>
    </message>
    <message>
        <source>SLAs due in the period</source>
        <translation>Im Zeitraum fällige SLAs</translation>
    </message>
    <message>
        <source>by due date · {days_text}</source>
        <translation>nach Fälligkeit · {days_text}</translation>
    </message>
    <message>
        <source>{rate} on time</source>
        <translation>{rate} rechtzeitig</translation>
    </message>
    <message>
        <source>none due yet</source>
        <translation>noch keine fällig</translation>
    </message>
    <message>
        <source>No SLAs fall due in this period.</source>
        <translation>In diesem Zeitraum werden keine SLAs fällig.</translation>
    </message>
    <message>
        <source>the customers with {lower} SLAs “{label}”</source>
        <translation>die Kunden mit SLAs „{label}“: {lower}</translation>
    </message>
    <message>
        <source>{label}
{title}: {count} SLAs
On time {on_time} · late {late} · overdue {overdue} · open {open}
Share met on time (of those due): {rate}
Click to see these customers</source>
        <translation>{label}
{title}: {count} SLAs
Rechtzeitig {on_time} · verspätet {late} · überfällig {overdue} · offen {open}
Anteil rechtzeitig erfüllt (der fälligen): {rate}
Klicken zeigt diese Kunden</translation>
    </message>
</context>
<context>
    <name>cockpit.success</name>
    <message>
        <source>All together</source>
        <translation>Alle zusammen</translation>
    </message>
    <message>
        <source>region</source>
        <translation>Region</translation>
    </message>
    <message>
        <source>regions</source>
        <translation>Regionen</translation>
    </message>
    <message>
        <source>owner</source>
        <translation>Betreuer</translation>
    </message>
    <message>
        <source>owners</source>
        <translation>Betreuer</translation>
    </message>
    <message>
        <source>chain</source>
        <translation>Kette</translation>
    </message>
    <message>
        <source>chains</source>
        <translation>Ketten</translation>
    </message>
    <message>
        <source>{name} so far ({days} of {length} days)</source>
        <translation>{name} bisher ({days} von {length} Tagen)</translation>
    </message>
    <message>
        <source>{name}: {days} of {length} days in the chosen period</source>
        <translation>{name}: {days} von {length} Tagen im gewählten Zeitraum</translation>
    </message>
    <message>
        <source>Sample success rate</source>
        <translation>Erfolgsquote der Muster</translation>
    </message>
    <message>
        <source>Success rate</source>
        <translation>Erfolgsquote</translation>
    </message>
    <message>
        <source>Select a name to see its band.</source>
        <translation>Wählen Sie einen Namen, um sein Band zu sehen.</translation>
    </message>
    <message>
        <source>Week (starting Monday)</source>
        <translation>Woche (ab Montag)</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>Monat</translation>
    </message>
    <message>
        <source>{n_all} feedbacks · {days_text}{so_far}</source>
        <translation>{n_all} Rückmeldungen · {days_text}{so_far}</translation>
    </message>
    <message>
        <source>No sample feedback in this period.</source>
        <translation>Keine Muster-Rückmeldungen in diesem Zeitraum.</translation>
    </message>
    <message>
        <source>Top {shown} of {groups} {what}</source>
        <translation>Top {shown} von {groups} {what}</translation>
    </message>
    <message>
        <source>Point size: the feedbacks behind it (n). Shaded: the 95 % band. Hollow: a period not over yet. Click a point for its customers.</source>
        <translation>Punktgröße: die Rückmeldungen dahinter (n). Schattiert: das 95-%-Band. Hohl: ein noch nicht abgeschlossener Zeitraum. Ein Klick auf einen Punkt zeigt seine Kunden.</translation>
    </message>
    <message>
        <source> (the {shown} with the most feedbacks of {groups})</source>
        <translation> (die {shown} mit den meisten Rückmeldungen von {groups})</translation>
    </message>
    <message>
        <source>{shown} {what} by success rate{more}</source>
        <translation>{shown} {what} nach Erfolgsquote{more}</translation>
    </message>
    <message>
        <source>All {shown} {what}</source>
        <translation>Alle {shown} {what}</translation>
    </message>
    <message>
        <source>Blue: the one chosen in the list; grey, dashed: all {shown} together. Point size: its feedbacks (n); shaded: its 95 % band; hollow: a period not over yet. Click a point for its customers.</source>
        <translation>Blau: die in der Liste gewählte Linie; grau gestrichelt: alle {shown} zusammen. Punktgröße: ihre Rückmeldungen (n); schattiert: ihr 95-%-Band; hohl: ein noch nicht abgeschlossener Zeitraum. Ein Klick auf einen Punkt zeigt seine Kunden.</translation>
    </message>
    <message>
        <source>the {n} feedbacks behind “Sample success · {label} · {period_text}”</source>
        <translation>die {n} Rückmeldungen hinter „Mustererfolg · {label} · {period_text}“</translation>
    </message>
    <message>
        <source>{label}: {rate} success in {n} feedbacks in the period</source>
        <translation>{label}: {rate} Erfolg bei {n} Rückmeldungen im Zeitraum</translation>
    </message>
    <message>
        <source>
Untick to hide the line</source>
        <translation>
Haken entfernen blendet die Linie aus</translation>
    </message>
    <message>
        <source>
Choose to see the line</source>
        <translation>
Auswählen zeigt die Linie</translation>
    </message>
    <message>
        <source>Shaded: the band of {chosen}.</source>
        <translation>Schattiert: das Band von {chosen}.</translation>
    </message>
    <message>
        <source>{label} · {value}
{rate} success: {success} of {n} feedbacks
95 % band: {low} – {high}
neutral {neutral} · fail {fail}
Click to see these customers</source>
        <translation>{label} · {value}
{rate} Erfolg: {success} von {n} Rückmeldungen
95-%-Band: {low} – {high}
neutral {neutral} · Misserfolg {fail}
Klicken zeigt diese Kunden</translation>
    </message>
</context>
<context>
    <name>cockpit.units</name>
    <message>
        <source>week of {start}</source>
        <translation>Woche ab {start}</translation>
    </message>
</context>
<context>
    <name>cockpit.view</name>
    <message>
        <source>Refresh</source>
        <translation>Aktualisieren</translation>
    </message>
    <message>
        <source>Read the numbers again (F5)</source>
        <translation>Zahlen neu lesen (F5)</translation>
    </message>
    <message>
        <source>Your customers</source>
        <translation>Ihre Kunden</translation>
    </message>
    <message>
        <source>Loading people…</source>
        <translation>Personen werden geladen…</translation>
    </message>
    <message>
        <source>the sample success rate</source>
        <translation>die Erfolgsquote der Muster</translation>
    </message>
    <message>
        <source>the ROI pipeline</source>
        <translation>die ROI-Pipeline</translation>
    </message>
    <message>
        <source>the SLA adherence</source>
        <translation>die SLA-Einhaltung</translation>
    </message>
    <message>
        <source>Reading {words}…</source>
        <translation>Wird gelesen: {words}…</translation>
    </message>
    <message>
        <source>Reading how current the KPIs are…</source>
        <translation>Aktualität der Kennzahlen wird gelesen…</translation>
    </message>
    <message>
        <source>Loading a focus list</source>
        <translation>Laden einer Fokusliste</translation>
    </message>
    <message>
        <source>as of {as_of}</source>
        <translation>Stand {as_of}</translation>
    </message>
    <message>
        <source> — reconnecting</source>
        <translation> – Verbindung wird wiederhergestellt</translation>
    </message>
    <message>
        <source>The numbers include everything that happened before this time.</source>
        <translation>Die Zahlen umfassen alles, was vor diesem Zeitpunkt geschah.</translation>
    </message>
    <message>
        <source>Finding the customers…</source>
        <translation>Kunden werden gesucht…</translation>
    </message>
    <message>
        <source>Finding the customers</source>
        <translation>Suchen der Kunden</translation>
    </message>
    <message>
        <source>Opening the customer…</source>
        <translation>Kunde wird geöffnet…</translation>
    </message>
    <message>
        <source>Opening the customer</source>
        <translation>Öffnen des Kunden</translation>
    </message>
</context>
<context>
    <name>conflict</name>
    <message>
        <source>Changed by someone else</source>
        <translation>Von jemand anderem geändert</translation>
    </message>
    <message>
        <source>&lt;b&gt;Someone else saved this customer&apos;s fields while you were editing.&lt;/b&gt;&lt;br&gt;{overlap_text} Choose, per field, which value to keep. Your values stay in the editor until you decide.</source>
        <translation>&lt;b&gt;Jemand anderes hat die Felder dieses Kunden gespeichert, während Sie sie bearbeitet haben.&lt;/b&gt;&lt;br&gt;{overlap_text} Wählen Sie je Feld, welcher Wert bleiben soll. Ihre Werte bleiben im Editor, bis Sie entscheiden.</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>Feld</translation>
    </message>
    <message>
        <source>You started from</source>
        <translation>Ihr Ausgangswert</translation>
    </message>
    <message>
        <source>Your value</source>
        <translation>Ihr Wert</translation>
    </message>
    <message>
        <source>Now saved</source>
        <translation>Jetzt gespeichert</translation>
    </message>
    <message>
        <source>Keep</source>
        <translation>Behalten</translation>
    </message>
    <message>
        <source>Changed by you and by someone else</source>
        <translation>Von Ihnen und von jemand anderem geändert</translation>
    </message>
    <message>
        <source>Only you changed this field</source>
        <translation>Nur Sie haben dieses Feld geändert</translation>
    </message>
    <message>
        <source>Mine</source>
        <translation>Meiner</translation>
    </message>
    <message>
        <source>Theirs</source>
        <translation>Ihrer</translation>
    </message>
    <message>
        <source>Save my choices</source>
        <translation>Meine Auswahl speichern</translation>
    </message>
    <message>
        <source>Keep editing</source>
        <translation>Weiter bearbeiten</translation>
    </message>
    <message>
        <source>The field you changed was changed by them too.</source>
        <translation>Das von Ihnen geänderte Feld wurde auch von der anderen Person geändert.</translation>
    </message>
    <message>
        <source>All {changed} fields you changed were changed by them too.</source>
        <translation>Alle {changed} von Ihnen geänderten Felder wurden auch von der anderen Person geändert.</translation>
    </message>
    <message>
        <source>the other one</source>
        <translation>das andere</translation>
    </message>
    <message>
        <source>the other {value}</source>
        <translation>die anderen {value}</translation>
    </message>
    <message>
        <source>{both} of the {changed} fields you changed {verb} changed by them too; {rest} only by you.</source>
        <translation>Von den {changed} von Ihnen geänderten Feldern wurden {both} auch von der anderen Person geändert; {rest} nur von Ihnen.</translation>
    </message>
</context>
<context>
    <name>demo_data</name>
    <message>
        <source>the sales team</source>
        <translation>das Vertriebsteam</translation>
    </message>
    <message>
        <source>planning</source>
        <translation>Planung</translation>
    </message>
    <message>
        <source>customers</source>
        <translation>Kunden</translation>
    </message>
    <message>
        <source>contacts</source>
        <translation>Kontakte</translation>
    </message>
    <message>
        <source>contact roles</source>
        <translation>Kontaktrollen</translation>
    </message>
    <message>
        <source>field values</source>
        <translation>Feldwerte</translation>
    </message>
    <message>
        <source>samples</source>
        <translation>Muster</translation>
    </message>
    <message>
        <source>sample items</source>
        <translation>Musterpositionen</translation>
    </message>
    <message>
        <source>ROI scenarios</source>
        <translation>ROI-Szenarien</translation>
    </message>
    <message>
        <source>activities</source>
        <translation>Aktivitäten</translation>
    </message>
    <message>
        <source>SLAs</source>
        <translation>SLAs</translation>
    </message>
    <message>
        <source>the hot projection</source>
        <translation>die Schnellansicht</translation>
    </message>
    <message>
        <source>indexes</source>
        <translation>Indizes</translation>
    </message>
    <message>
        <source>statistics</source>
        <translation>Statistiken</translation>
    </message>
    <message>
        <source>Loading {value}…</source>
        <translation>Wird geladen: {value}…</translation>
    </message>
</context>
<context>
    <name>detail.activities</name>
    <message>
        <source>Log activity</source>
        <translation>Aktivität erfassen</translation>
    </message>
    <message>
        <source>All kinds</source>
        <translation>Alle Arten</translation>
    </message>
    <message>
        <source>Search notes and details</source>
        <translation>Notizen und Details durchsuchen</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Von</translation>
    </message>
    <message>
        <source>to</source>
        <translation>bis</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Wann</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>Load more</source>
        <translation>Mehr laden</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>Regel</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>Fällig</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>SLAs</source>
        <translation>SLAs</translation>
    </message>
    <message>
        <source>Loading the SLAs</source>
        <translation>Laden der SLAs</translation>
    </message>
    <message>
        <source>Loading SLAs…</source>
        <translation>SLAs werden geladen…</translation>
    </message>
    <message>
        <source>Loading the activities</source>
        <translation>Laden der Aktivitäten</translation>
    </message>
    <message>
        <source>Loading activities…</source>
        <translation>Aktivitäten werden geladen…</translation>
    </message>
    <message>
        <source>Due {sla_due}</source>
        <translation>Fällig {sla_due}</translation>
    </message>
    <message>
        <source>{details} (by {created_by_name})</source>
        <translation>{details} (von {created_by_name})</translation>
    </message>
    <message>
        <source>Preparing the form…</source>
        <translation>Formular wird vorbereitet…</translation>
    </message>
    <message>
        <source>Preparing the activity form</source>
        <translation>Vorbereiten des Aktivitätsformulars</translation>
    </message>
    <message>
        <source>Saving the activity…</source>
        <translation>Aktivität wird gespeichert…</translation>
    </message>
    <message>
        <source>Logging the activity</source>
        <translation>Erfassen der Aktivität</translation>
    </message>
</context>
<context>
    <name>detail.activity_form</name>
    <message>
        <source>— choose —</source>
        <translation>– auswählen –</translation>
    </message>
    <message>
        <source>Outcome *</source>
        <translation>Ergebnis *</translation>
    </message>
    <message>
        <source>Log activity</source>
        <translation>Aktivität erfassen</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Wird gespeichert…</translation>
    </message>
    <message>
        <source>What was said, agreed, promised (optional)</source>
        <translation>Was gesagt, vereinbart, zugesagt wurde (optional)</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Wann</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Notiz</translation>
    </message>
    <message>
        <source>Outcome: choose one</source>
        <translation>Ergebnis: bitte auswählen</translation>
    </message>
</context>
<context>
    <name>detail.contacts</name>
    <message>
        <source>Contactability…</source>
        <translation>Erreichbarkeit…</translation>
    </message>
    <message>
        <source>Add contact…</source>
        <translation>Kontakt hinzufügen…</translation>
    </message>
    <message>
        <source>Link existing…</source>
        <translation>Vorhandenen verknüpfen…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>Bearbeiten…</translation>
    </message>
    <message>
        <source>Remove from this customer</source>
        <translation>Von diesem Kunden entfernen</translation>
    </message>
    <message>
        <source>Loading the customer…</source>
        <translation>Kunde wird geladen…</translation>
    </message>
    <message>
        <source>Do not contact</source>
        <translation>Nicht kontaktieren</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>Ja</translation>
    </message>
    <message>
        <source>Contactability: {contactability_status}</source>
        <translation>Erreichbarkeit: {contactability_status}</translation>
    </message>
    <message>
        <source> — use another channel</source>
        <translation> – anderen Kanal nutzen</translation>
    </message>
    <message>
        <source>this customer</source>
        <translation>diesem Kunden</translation>
    </message>
    <message>
        <source>Removing the contact…</source>
        <translation>Kontakt wird entfernt…</translation>
    </message>
    <message>
        <source>Removing the contact</source>
        <translation>Entfernen des Kontakts</translation>
    </message>
    <message>
        <source>Remove contact</source>
        <translation>Kontakt entfernen</translation>
    </message>
    <message>
        <source>Remove {full_name} from {name}?</source>
        <translation>{full_name} von {name} entfernen?</translation>
    </message>
    <message>
        <source>The person keeps their roles at other customers.</source>
        <translation>Die Person behält ihre Rollen bei anderen Kunden.</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
</context>
<context>
    <name>detail.field_row</name>
    <message>
        <source>Set by the sample workflow; not edited here.</source>
        <translation>Vom Musterablauf gesetzt; hier nicht bearbeitbar.</translation>
    </message>
    <message>
        <source>Contract and price field: chain managers and admins change it.</source>
        <translation>Vertrags- und Preisfeld: Kettenbetreuung und Administration ändern es.</translation>
    </message>
    <message>
        <source>Read-only: {reason}</source>
        <translation>Nur lesbar: {reason}</translation>
    </message>
</context>
<context>
    <name>detail.fields</name>
    <message>
        <source>Discard changes</source>
        <translation>Änderungen verwerfen</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Speichern</translation>
    </message>
    <message>
        <source>Save the changed fields (Ctrl+S)</source>
        <translation>Geänderte Felder speichern (Strg+S)</translation>
    </message>
    <message>
        <source>Loading the fields</source>
        <translation>Laden der Felder</translation>
    </message>
    <message>
        <source>Loading fields…</source>
        <translation>Felder werden geladen…</translation>
    </message>
    <message>
        <source>{n} unsaved changes. Ctrl+S saves; Esc reverts the field you are in.</source>
        <translation>{n} ungespeicherte Änderungen. Strg+S speichert; Esc setzt das aktuelle Feld zurück.</translation>
    </message>
    <message>
        <source>{n} unsaved change. Ctrl+S saves; Esc reverts the field you are in.</source>
        <translation>{n} ungespeicherte Änderung. Strg+S speichert; Esc setzt das aktuelle Feld zurück.</translation>
    </message>
    <message>
        <source>Not saved: some fields are not valid (see the messages next to them).</source>
        <translation>Nicht gespeichert: Einige Felder sind ungültig (siehe die Hinweise daneben).</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Wird gespeichert…</translation>
    </message>
    <message>
        <source>Saving fields…</source>
        <translation>Felder werden gespeichert…</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Gespeichert.</translation>
    </message>
    <message>
        <source>Someone else saved this customer meanwhile; comparing…</source>
        <translation>Jemand anderes hat diesen Kunden inzwischen gespeichert; wird verglichen…</translation>
    </message>
    <message>
        <source>Reloading the fields</source>
        <translation>Neuladen der Felder</translation>
    </message>
    <message>
        <source>Reloading fields…</source>
        <translation>Felder werden neu geladen…</translation>
    </message>
    <message>
        <source>Not saved. {getattr}</source>
        <translation>Nicht gespeichert. {getattr}</translation>
    </message>
    <message>
        <source>Saving the fields</source>
        <translation>Speichern der Felder</translation>
    </message>
    <message>
        <source>Merged with changes someone else saved meanwhile; saving…</source>
        <translation>Mit inzwischen gespeicherten Änderungen anderer zusammengeführt; wird gespeichert…</translation>
    </message>
    <message>
        <source>Not saved: someone else changed these fields. Your edits are kept; save again to compare.</source>
        <translation>Nicht gespeichert: Jemand anderes hat diese Felder geändert. Ihre Eingaben bleiben erhalten; erneut speichern vergleicht.</translation>
    </message>
    <message>
        <source>Not saved yet: choose which values to keep.</source>
        <translation>Noch nicht gespeichert: Wählen Sie, welche Werte bleiben.</translation>
    </message>
    <message>
        <source>Kept the saved values; nothing left to save.</source>
        <translation>Gespeicherte Werte behalten; nichts mehr zu speichern.</translation>
    </message>
</context>
<context>
    <name>detail.form_dialog</name>
    <message>
        <source>Not saved yet: </source>
        <translation>Noch nicht gespeichert: </translation>
    </message>
    <message>
        <source>Not saved. {getattr}</source>
        <translation>Nicht gespeichert. {getattr}</translation>
    </message>
</context>
<context>
    <name>detail.history</name>
    <message>
        <source>desktop</source>
        <translation>Desktop</translation>
    </message>
    <message>
        <source>command line</source>
        <translation>Kommandozeile</translation>
    </message>
    <message>
        <source>HTTP API</source>
        <translation>HTTP-API</translation>
    </message>
    <message>
        <source>import</source>
        <translation>Import</translation>
    </message>
    <message>
        <source>daemon</source>
        <translation>Hintergrunddienst</translation>
    </message>
    <message>
        <source>inbound event</source>
        <translation>eingehendes Ereignis</translation>
    </message>
    <message>
        <source>Restore this field to here…</source>
        <translation>Dieses Feld auf diesen Stand zurücksetzen…</translation>
    </message>
    <message>
        <source>Restore all fields to here…</source>
        <translation>Alle Felder auf diesen Stand zurücksetzen…</translation>
    </message>
    <message>
        <source>Load older</source>
        <translation>Ältere laden</translation>
    </message>
    <message>
        <source>Loading history…</source>
        <translation>Verlauf wird geladen…</translation>
    </message>
    <message>
        <source>Loading the history</source>
        <translation>Laden des Verlaufs</translation>
    </message>
    <message>
        <source>Cannot restore</source>
        <translation>Zurücksetzen nicht möglich</translation>
    </message>
    <message>
        <source>{label} cannot be restored by you: it is set by the workflow or is a contract and price field.</source>
        <translation>{label} können Sie nicht zurücksetzen: Es wird vom Ablauf gesetzt oder ist ein Vertrags- und Preisfeld.</translation>
    </message>
    <message>
        <source>Restore {label} to its value at {when}?</source>
        <translation>{label} auf den Wert vom {when} zurücksetzen?</translation>
    </message>
    <message>
        <source>Restore all fields to their values at {when}?</source>
        <translation>Alle Felder auf ihre Werte vom {when} zurücksetzen?</translation>
    </message>
    <message>
        <source>Values changed after this point go back to what they were then (this change included), as one change set: undo (Ctrl+Z) takes it back.</source>
        <translation>Werte, die danach geändert wurden, erhalten ihren damaligen Stand zurück (diese Änderung eingeschlossen), als ein Änderungssatz: Rückgängig (Strg+Z) nimmt ihn zurück.</translation>
    </message>
    <message>
        <source>Restore from history</source>
        <translation>Aus dem Verlauf wiederherstellen</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>Zurücksetzen</translation>
    </message>
    <message>
        <source>Restoring</source>
        <translation>Zurücksetzen</translation>
    </message>
    <message>
        <source>Restoring…</source>
        <translation>Wird zurückgesetzt…</translation>
    </message>
    <message>
        <source> {n} refused.</source>
        <translation> {n} abgelehnt.</translation>
    </message>
    <message>
        <source>Restored</source>
        <translation>Zurückgesetzt</translation>
    </message>
    <message>
        <source>{description}: {summary} set back.{refused}</source>
        <translation>{description}: {summary} zurückgesetzt.{refused}</translation>
    </message>
    <message>
        <source>Undo (Ctrl+Z) takes it back.</source>
        <translation>Rückgängig (Strg+Z) nimmt es zurück.</translation>
    </message>
</context>
<context>
    <name>detail.pane</name>
    <message>
        <source>&amp;Fields</source>
        <translation>&amp;Felder</translation>
    </message>
    <message>
        <source>Sa&amp;mples</source>
        <translation>&amp;Muster</translation>
    </message>
    <message>
        <source>&amp;Activities</source>
        <translation>&amp;Aktivitäten</translation>
    </message>
    <message>
        <source>C&amp;ontacts</source>
        <translation>K&amp;ontakte</translation>
    </message>
    <message>
        <source>&amp;ROI</source>
        <translation>&amp;ROI</translation>
    </message>
    <message>
        <source>&amp;History</source>
        <translation>&amp;Verlauf</translation>
    </message>
    <message>
        <source>Select a customer in the grid.
Enter opens it here; Ctrl+F searches.</source>
        <translation>Wählen Sie einen Kunden in der Tabelle.
Die Eingabetaste öffnet ihn hier; Strg+F sucht.</translation>
    </message>
    <message>
        <source>Chain</source>
        <translation>Kette</translation>
    </message>
    <message>
        <source>Read-only for you. {value}</source>
        <translation>Für Sie nur lesbar. {value}</translation>
    </message>
    <message>
        <source>You may not change this customer.</source>
        <translation>Sie dürfen diesen Kunden nicht ändern.</translation>
    </message>
    <message>
        <source>Loading the customer…</source>
        <translation>Kunde wird geladen…</translation>
    </message>
    <message>
        <source>Someone else changed this customer. Your edits are kept; saving will compare.</source>
        <translation>Jemand anderes hat diesen Kunden geändert. Ihre Eingaben bleiben erhalten; beim Speichern wird verglichen.</translation>
    </message>
    <message>
        <source>Refreshing the customer…</source>
        <translation>Kunde wird aktualisiert…</translation>
    </message>
    <message>
        <source> — use another channel</source>
        <translation> – anderen Kanal nutzen</translation>
    </message>
    <message>
        <source>Owner: {owner}</source>
        <translation>Betreuer: {owner}</translation>
    </message>
    <message>
        <source>Unassigned</source>
        <translation>Nicht zugeordnet</translation>
    </message>
    <message>
        <source>Chain: {chain}</source>
        <translation>Kette: {chain}</translation>
    </message>
    <message>
        <source>&amp;Fields ●</source>
        <translation>&amp;Felder ●</translation>
    </message>
</context>
<context>
    <name>detail.records</name>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Roles</source>
        <translation>Rollen</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>E-Mail</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Telefon</translation>
    </message>
    <message>
        <source>Contact?</source>
        <translation>Kontakt?</translation>
    </message>
    <message>
        <source>No contacts recorded for this customer.</source>
        <translation>Für diesen Kunden sind keine Kontakte erfasst.</translation>
    </message>
    <message>
        <source>contacts</source>
        <translation>Kontakte</translation>
    </message>
    <message>
        <source>When, who</source>
        <translation>Wann, wer</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>Feld</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Änderung</translation>
    </message>
    <message>
        <source>No changes recorded yet.</source>
        <translation>Noch keine Änderungen erfasst.</translation>
    </message>
    <message>
        <source>history</source>
        <translation>Verlauf</translation>
    </message>
    <message>
        <source>Nothing recorded yet.</source>
        <translation>Noch nichts erfasst.</translation>
    </message>
    <message>
        <source>records</source>
        <translation>Einträge</translation>
    </message>
    <message>
        <source>Loading the {what}</source>
        <translation>Laden: {what}</translation>
    </message>
    <message>
        <source>Loading {what}…</source>
        <translation>Wird geladen: {what}…</translation>
    </message>
    <message>
        <source>Scenario</source>
        <translation>Szenario</translation>
    </message>
    <message>
        <source>Savings / month</source>
        <translation>Einsparung / Monat</translation>
    </message>
    <message>
        <source>Assumptions</source>
        <translation>Annahmen</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>Aktualisiert</translation>
    </message>
    <message>
        <source>No ROI scenarios yet. “New scenario…” works out the savings from a few assumptions.</source>
        <translation>Noch keine ROI-Szenarien. „Neues Szenario…“ berechnet die Einsparung aus wenigen Annahmen.</translation>
    </message>
    <message>
        <source>ROI scenarios</source>
        <translation>ROI-Szenarien</translation>
    </message>
</context>
<context>
    <name>detail.roi</name>
    <message>
        <source>New scenario…</source>
        <translation>Neues Szenario…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>Bearbeiten…</translation>
    </message>
</context>
<context>
    <name>detail.sample_request</name>
    <message>
        <source>Request sample</source>
        <translation>Muster anfordern</translation>
    </message>
    <message>
        <source>Requesting…</source>
        <translation>Wird angefordert…</translation>
    </message>
    <message>
        <source>Request a sample</source>
        <translation>Ein Muster anfordern</translation>
    </message>
    <message>
        <source>  (default)</source>
        <translation>  (Standard)</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>Produkt</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>Menge</translation>
    </message>
    <message>
        <source>Add product</source>
        <translation>Produkt hinzufügen</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <source>Street, postcode, city (optional)</source>
        <translation>Straße, PLZ, Ort (optional)</translation>
    </message>
    <message>
        <source>kitchen@example.com (optional)</source>
        <translation>kueche@example.de (optional)</translation>
    </message>
    <message>
        <source>Kit</source>
        <translation>Set</translation>
    </message>
    <message>
        <source>Delivery date</source>
        <translation>Liefertermin</translation>
    </message>
    <message>
        <source>Delivery address</source>
        <translation>Lieferadresse</translation>
    </message>
    <message>
        <source>Contact e-mail</source>
        <translation>Kontakt-E-Mail</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Notizen</translation>
    </message>
</context>
<context>
    <name>detail.samples</name>
    <message>
        <source>Mark packed</source>
        <translation>Als gepackt markieren</translation>
    </message>
    <message>
        <source>Mark shipped</source>
        <translation>Als versandt markieren</translation>
    </message>
    <message>
        <source>Mark delivered</source>
        <translation>Als zugestellt markieren</translation>
    </message>
    <message>
        <source>Feedback: success</source>
        <translation>Rückmeldung: Erfolg</translation>
    </message>
    <message>
        <source>Feedback: neutral</source>
        <translation>Rückmeldung: neutral</translation>
    </message>
    <message>
        <source>Feedback: fail</source>
        <translation>Rückmeldung: Misserfolg</translation>
    </message>
    <message>
        <source>Cancel sample</source>
        <translation>Muster stornieren</translation>
    </message>
    <message>
        <source>Request sample…</source>
        <translation>Muster anfordern…</translation>
    </message>
    <message>
        <source>Samples</source>
        <translation>Muster</translation>
    </message>
    <message>
        <source>Requested</source>
        <translation>Angefordert</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Kit</source>
        <translation>Set</translation>
    </message>
    <message>
        <source>Items</source>
        <translation>Positionen</translation>
    </message>
    <message>
        <source>Delivery</source>
        <translation>Lieferung</translation>
    </message>
    <message>
        <source>No samples yet. “Request sample…” (Ctrl+Shift+S) sends the default kit.</source>
        <translation>Noch keine Muster. „Muster anfordern…“ (Strg+Umschalt+S) schickt das Standardset.</translation>
    </message>
    <message>
        <source>Next step</source>
        <translation>Nächster Schritt</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>Zeitleiste</translation>
    </message>
    <message>
        <source>Loading the samples</source>
        <translation>Laden der Muster</translation>
    </message>
    <message>
        <source>Loading samples…</source>
        <translation>Muster werden geladen…</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>Benutzerdefiniert</translation>
    </message>
    <message>
        <source>Loading the timeline</source>
        <translation>Laden der Zeitleiste</translation>
    </message>
    <message>
        <source>Loading the timeline…</source>
        <translation>Zeitleiste wird geladen…</translation>
    </message>
    <message>
        <source>Final status</source>
        <translation>Endstatus</translation>
    </message>
    <message>
        <source>Cancel this sample request? This cannot be undone.</source>
        <translation>Diese Musteranforderung stornieren? Das lässt sich nicht rückgängig machen.</translation>
    </message>
    <message>
        <source>Updating the sample…</source>
        <translation>Muster wird aktualisiert…</translation>
    </message>
    <message>
        <source>Changing the sample&apos;s status</source>
        <translation>Ändern des Musterstatus</translation>
    </message>
    <message>
        <source>Requesting the sample…</source>
        <translation>Muster wird angefordert…</translation>
    </message>
    <message>
        <source>Requesting the sample</source>
        <translation>Anfordern des Musters</translation>
    </message>
</context>
<context>
    <name>display</name>
    <message>
        <source>Yes</source>
        <translation>Ja</translation>
    </message>
    <message>
        <source>No</source>
        <translation>Nein</translation>
    </message>
</context>
<context>
    <name>duplicates.merge_dialog</name>
    <message>
        <source>{n} sample</source>
        <translation>{n} Muster</translation>
    </message>
    <message>
        <source>{n} activity</source>
        <translation>{n} Aktivität</translation>
    </message>
    <message>
        <source>{n} SLA</source>
        <translation>{n} SLA</translation>
    </message>
    <message>
        <source>{n} ROI scenario</source>
        <translation>{n} ROI-Szenario</translation>
    </message>
    <message>
        <source>{n} contact link</source>
        <translation>{n} Kontaktverknüpfung</translation>
    </message>
    <message>
        <source>{n} samples</source>
        <translation>{n} Muster</translation>
    </message>
    <message>
        <source>{n} activities</source>
        <translation>{n} Aktivitäten</translation>
    </message>
    <message>
        <source>{n} SLAs</source>
        <translation>{n} SLAs</translation>
    </message>
    <message>
        <source>{n} ROI scenarios</source>
        <translation>{n} ROI-Szenarien</translation>
    </message>
    <message>
        <source>{n} contact links</source>
        <translation>{n} Kontaktverknüpfungen</translation>
    </message>
    <message>
        <source>Merge customers</source>
        <translation>Kunden zusammenführen</translation>
    </message>
    <message>
        <source>Loading the customers…</source>
        <translation>Kunden werden geladen…</translation>
    </message>
    <message>
        <source>Dry run</source>
        <translation>Probelauf</translation>
    </message>
    <message>
        <source>Merge</source>
        <translation>Zusammenführen</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Choose the customer that stays and, per value, whose value it keeps. Samples, activities, SLAs, ROI scenarios and contacts all move to it; the others stay as references to it. Undo takes the merge back.</source>
        <translation>Wählen Sie den Kunden, der bleibt, und je Wert, wessen Wert er behält. Muster, Aktivitäten, SLAs, ROI-Szenarien und Kontakte gehen auf ihn über; die anderen bleiben als Verweise auf ihn erhalten. „Rückgängig“ nimmt die Zusammenführung zurück.</translation>
    </message>
    <message>
        <source>Loading the customers</source>
        <translation>Das Laden der Kunden</translation>
    </message>
    <message>
        <source>Keeps</source>
        <translation>Bleibt</translation>
    </message>
    <message>
        <source>Choose, then Dry run to see what moves, or Merge.</source>
        <translation>Wählen Sie aus; „Probelauf“ zeigt, was übergeht, „Zusammenführen“ führt zusammen.</translation>
    </message>
    <message>
        <source>Working out what would move…</source>
        <translation>Es wird ermittelt, was übergehen würde…</translation>
    </message>
    <message>
        <source>Dry run of the merge…</source>
        <translation>Probelauf der Zusammenführung…</translation>
    </message>
    <message>
        <source>The dry run</source>
        <translation>Der Probelauf</translation>
    </message>
    <message>
        <source>Dry run: nothing written.</source>
        <translation>Probelauf: nichts gespeichert.</translation>
    </message>
    <message>
        <source>Merged.</source>
        <translation>Zusammengeführt.</translation>
    </message>
    <message>
        <source>{lead} Moves: {moved}. Changes: {changes}.</source>
        <translation>{lead} Geht über: {moved}. Änderungen: {changes}.</translation>
    </message>
    <message>
        <source>nothing</source>
        <translation>nichts</translation>
    </message>
    <message>
        <source>no values</source>
        <translation>keine Werte</translation>
    </message>
    <message>
        <source>Merging…</source>
        <translation>Wird zusammengeführt…</translation>
    </message>
    <message>
        <source>Merged</source>
        <translation>Zusammengeführt</translation>
    </message>
    <message>
        <source>Edit → Change-set history takes it back.</source>
        <translation>Bearbeiten → Verlauf der Änderungssätze nimmt sie zurück.</translation>
    </message>
    <message>
        <source>The merge</source>
        <translation>Die Zusammenführung</translation>
    </message>
</context>
<context>
    <name>duplicates.view</name>
    <message>
        <source>same name and city</source>
        <translation>gleicher Name und Ort</translation>
    </message>
    <message>
        <source>same e-mail</source>
        <translation>gleiche E-Mail</translation>
    </message>
    <message>
        <source>same phone</source>
        <translation>gleiche Telefonnummer</translation>
    </message>
    <message>
        <source>same external reference</source>
        <translation>gleiche externe Referenz</translation>
    </message>
    <message>
        <source>similar name</source>
        <translation>ähnlicher Name</translation>
    </message>
    <message>
        <source>but different contacts</source>
        <translation>aber verschiedene Kontakte</translation>
    </message>
    <message>
        <source>Duplicates — Steward</source>
        <translation>Dubletten — Steward</translation>
    </message>
    <message>
        <source>How alike two names must be for the similar-name rule</source>
        <translation>Wie ähnlich sich zwei Namen sein müssen, damit die Regel „ähnlicher Name“ greift</translation>
    </message>
    <message>
        <source>Scan</source>
        <translation>Suchen</translation>
    </message>
    <message>
        <source>All regions</source>
        <translation>Alle Regionen</translation>
    </message>
    <message>
        <source>All owners</source>
        <translation>Alle Betreuer</translation>
    </message>
    <message>
        <source>Loading the owners…</source>
        <translation>Betreuer werden geladen…</translation>
    </message>
    <message>
        <source>Name similarity</source>
        <translation>Namensähnlichkeit</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>Region</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>Betreuer</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>Übereinstimmung</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>Grund</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Kunde</translation>
    </message>
    <message>
        <source>City</source>
        <translation>Ort</translation>
    </message>
    <message>
        <source>Probably the same as</source>
        <translation>Vermutlich derselbe wie</translation>
    </message>
    <message>
        <source>Scan to find customers that are probably the same.</source>
        <translation>„Suchen“ findet Kunden, die wahrscheinlich doppelt erfasst sind.</translation>
    </message>
    <message>
        <source>Not a duplicate</source>
        <translation>Keine Dublette</translation>
    </message>
    <message>
        <source>Remember that these two are different: no scan offers them again</source>
        <translation>Festhalten, dass diese beiden verschieden sind: Keine Suche schlägt sie wieder vor</translation>
    </message>
    <message>
        <source>Merge…</source>
        <translation>Zusammenführen…</translation>
    </message>
    <message>
        <source>Reading customers…</source>
        <translation>Kunden werden gelesen…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Duplicates</source>
        <translation>Dubletten</translation>
    </message>
    <message>
        <source>Scanning for duplicates…</source>
        <translation>Dubletten werden gesucht…</translation>
    </message>
    <message>
        <source>{done} of {total} customer read</source>
        <translation>{done} von {total} Kunden gelesen</translation>
    </message>
    <message>
        <source>{done} of {total} customers read</source>
        <translation>{done} von {total} Kunden gelesen</translation>
    </message>
    <message>
        <source>The duplicate scan</source>
        <translation>Die Dublettensuche</translation>
    </message>
    <message>
        <source>{shown} of {n} pair shown</source>
        <translation>{shown} von {n} Paar angezeigt</translation>
    </message>
    <message>
        <source>{shown} of {n} pairs shown</source>
        <translation>{shown} von {n} Paaren angezeigt</translation>
    </message>
    <message>
        <source>in {n} group</source>
        <translation>in {n} Gruppe</translation>
    </message>
    <message>
        <source>in {n} groups</source>
        <translation>in {n} Gruppen</translation>
    </message>
    <message>
        <source>among {n} customer</source>
        <translation>unter {n} Kunden</translation>
    </message>
    <message>
        <source>among {n} customers</source>
        <translation>unter {n} Kunden</translation>
    </message>
    <message>
        <source>{shown}, {within} {among}.</source>
        <translation>{shown}, {within} {among}.</translation>
    </message>
    <message>
        <source>Dismissing the pair…</source>
        <translation>Paar wird verworfen…</translation>
    </message>
    <message>
        <source>Dismissing the pair</source>
        <translation>Das Verwerfen des Paars</translation>
    </message>
</context>
<context>
    <name>editors.compound</name>
    <message>
        <source>One per line</source>
        <translation>Einer pro Zeile</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Hinzufügen</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <source>Enter as</source>
        <translation>Eingeben als</translation>
    </message>
    <message>
        <source>List ({names})</source>
        <translation>Liste ({names})</translation>
    </message>
    <message>
        <source>List</source>
        <translation>Liste</translation>
    </message>
    <message>
        <source> and </source>
        <translation> und </translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
</context>
<context>
    <name>editors.problems</name>
    <message>
        <source>{label} is required</source>
        <translation>{label} ist erforderlich</translation>
    </message>
    <message>
        <source>must be at most {value}</source>
        <translation>darf höchstens {value} sein</translation>
    </message>
    <message>
        <source>must be at least {value}</source>
        <translation>muss mindestens {value} sein</translation>
    </message>
    <message>
        <source>is too long</source>
        <translation>ist zu lang</translation>
    </message>
    <message>
        <source>must not be empty</source>
        <translation>darf nicht leer sein</translation>
    </message>
    <message>
        <source>is not a valid {value}</source>
        <translation>ist kein gültiger Wert ({value})</translation>
    </message>
    <message>
        <source>is not one of the choices</source>
        <translation>ist keine der Auswahlmöglichkeiten</translation>
    </message>
    <message>
        <source>lists an entry twice</source>
        <translation>enthält einen Eintrag doppelt</translation>
    </message>
    <message>
        <source>is required</source>
        <translation>ist erforderlich</translation>
    </message>
    <message>
        <source>is not a field of this form</source>
        <translation>ist kein Feld dieses Formulars</translation>
    </message>
    <message>
        <source>must not lie before {field}</source>
        <translation>darf nicht vor {field} liegen</translation>
    </message>
    <message>
        <source>{title} {text}</source>
        <translation>{title} {text}</translation>
    </message>
</context>
<context>
    <name>errors</name>
    <message>
        <source>Something went wrong</source>
        <translation>Etwas ist schiefgegangen</translation>
    </message>
    <message>
        <source>Invalid input</source>
        <translation>Ungültige Eingabe</translation>
    </message>
    <message>
        <source>Not found</source>
        <translation>Nicht gefunden</translation>
    </message>
    <message>
        <source>Changed by someone else</source>
        <translation>Von jemand anderem geändert</translation>
    </message>
    <message>
        <source>Status change not allowed</source>
        <translation>Statuswechsel nicht erlaubt</translation>
    </message>
    <message>
        <source>Not signed in</source>
        <translation>Nicht angemeldet</translation>
    </message>
    <message>
        <source>Too many requests</source>
        <translation>Zu viele Anfragen</translation>
    </message>
    <message>
        <source>Request too large</source>
        <translation>Anfrage zu groß</translation>
    </message>
    <message>
        <source>Not allowed</source>
        <translation>Nicht erlaubt</translation>
    </message>
    <message>
        <source>Conflict</source>
        <translation>Konflikt</translation>
    </message>
    <message>
        <source>Database needs an upgrade</source>
        <translation>Datenbank muss aktualisiert werden</translation>
    </message>
    <message>
        <source>The upgrade failed</source>
        <translation>Die Aktualisierung ist fehlgeschlagen</translation>
    </message>
    <message>
        <source>Database not reachable</source>
        <translation>Datenbank nicht erreichbar</translation>
    </message>
    <message>
        <source>The database is not empty</source>
        <translation>Die Datenbank ist nicht leer</translation>
    </message>
    <message>
        <source>No suitable PostgreSQL client</source>
        <translation>Kein passendes PostgreSQL-Programm</translation>
    </message>
    <message>
        <source>The backup or restore failed</source>
        <translation>Sicherung oder Wiederherstellung fehlgeschlagen</translation>
    </message>
    <message>
        <source>Unexpected problem</source>
        <translation>Unerwartetes Problem</translation>
    </message>
    <message>
        <source>{first_line} ({name}). Details are in the log.</source>
        <translation>{first_line} ({name}). Einzelheiten stehen im Protokoll.</translation>
    </message>
    <message>
        <source>{doing} did not work. {detail}</source>
        <translation>{doing} hat nicht geklappt. {detail}</translation>
    </message>
</context>
<context>
    <name>export</name>
    <message>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel-Arbeitsmappe (*.xlsx)</translation>
    </message>
    <message>
        <source>Cannot export to “{name}”; choose .csv or .xlsx.</source>
        <translation>Export nach „{name}“ nicht möglich; wählen Sie .csv oder .xlsx.</translation>
    </message>
    <message>
        <source>must end in .csv or .xlsx</source>
        <translation>muss auf .csv oder .xlsx enden</translation>
    </message>
    <message>
        <source>The view has {n} customers; an Excel sheet holds at most {most}. Narrow the filter or export to CSV.</source>
        <translation>Die Ansicht umfasst {n} Kunden; ein Excel-Blatt fasst höchstens {most}. Grenzen Sie den Filter ein oder exportieren Sie als CSV.</translation>
    </message>
    <message>
        <source>too many rows for Excel</source>
        <translation>zu viele Zeilen für Excel</translation>
    </message>
    <message>
        <source>Exporting to {name}…</source>
        <translation>Export nach {name}…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Exportieren</translation>
    </message>
    <message>
        <source>Exporting to {name}… {done} of {total} customers</source>
        <translation>Export nach {name}… {done} von {total} Kunden</translation>
    </message>
    <message>
        <source>Exported {count} customers to {path}</source>
        <translation>{count} Kunden nach {path} exportiert</translation>
    </message>
    <message>
        <source>The export</source>
        <translation>Der Export</translation>
    </message>
    <message>
        <source>Export cancelled; no file was written.</source>
        <translation>Export abgebrochen; es wurde keine Datei geschrieben.</translation>
    </message>
    <message>
        <source>Customers</source>
        <translation>Kunden</translation>
    </message>
</context>
<context>
    <name>grid.cells</name>
    <message>
        <source>“{title}” is set by the sample workflow and is not edited here.</source>
        <translation>„{title}“ wird vom Musterablauf gesetzt und hier nicht bearbeitet.</translation>
    </message>
    <message>
        <source>“{title}” is computed from {label}: change that in the customer&apos;s Fields tab.</source>
        <translation>„{title}“ wird aus {label} berechnet: Ändern Sie das auf der Registerkarte „Felder“ des Kunden.</translation>
    </message>
    <message>
        <source>“{title}” is master data: use Customer → Edit master data… (Ctrl+M).</source>
        <translation>„{title}“ ist Stammdatum: Kunde → Stammdaten bearbeiten… (Strg+M).</translation>
    </message>
    <message>
        <source>“{title}” is a contract and price field: chain managers and admins change it.</source>
        <translation>„{title}“ ist ein Vertrags- und Preisfeld: Kettenbetreuung und Administration ändern es.</translation>
    </message>
    <message>
        <source>it is outside your scope</source>
        <translation>er liegt außerhalb Ihres Bereichs</translation>
    </message>
    <message>
        <source>{name} is not yours to change. {why}</source>
        <translation>{name} dürfen Sie nicht ändern: {why}</translation>
    </message>
    <message>
        <source>is not one of {items}</source>
        <translation>ist keiner von: {items}</translation>
    </message>
    <message>
        <source>is not yes or no</source>
        <translation>ist weder Ja noch Nein</translation>
    </message>
    <message>
        <source>is not a number (e.g. {number})</source>
        <translation>ist keine Zahl (z. B. {number})</translation>
    </message>
    <message>
        <source>must be a whole number</source>
        <translation>muss eine ganze Zahl sein</translation>
    </message>
    <message>
        <source>is not a date (e.g. {day})</source>
        <translation>ist kein Datum (z. B. {day})</translation>
    </message>
</context>
<context>
    <name>grid.columns</name>
    <message>
        <source>Customer</source>
        <translation>Kunde</translation>
    </message>
    <message>
        <source>City</source>
        <translation>Ort</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>Betreuer</translation>
    </message>
    <message>
        <source>The customer&apos;s most urgent open SLA and its due date</source>
        <translation>Das dringendste offene SLA des Kunden und seine Fälligkeit</translation>
    </message>
    <message>
        <source>SLA due</source>
        <translation>SLA fällig</translation>
    </message>
    <message>
        <source>Chain</source>
        <translation>Kette</translation>
    </message>
    <message>
        <source>The chain a location belongs to (a chain shows its own name)</source>
        <translation>Die Kette, zu der ein Standort gehört (eine Kette zeigt ihren eigenen Namen)</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>Region</translation>
    </message>
</context>
<context>
    <name>grid.editing</name>
    <message>
        <source>Yes</source>
        <translation>Ja</translation>
    </message>
    <message>
        <source>No</source>
        <translation>Nein</translation>
    </message>
    <message>
        <source>Editing {label} of {name}: Enter saves, Esc cancels.</source>
        <translation>{label} von {name} wird bearbeitet: Eingabetaste speichert, Esc bricht ab.</translation>
    </message>
    <message>
        <source>Loading fields…</source>
        <translation>Felder werden geladen…</translation>
    </message>
    <message>
        <source>Edit cancelled.</source>
        <translation>Bearbeitung abgebrochen.</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Wird gespeichert…</translation>
    </message>
    <message>
        <source>Saved {labels}.</source>
        <translation>{labels} gespeichert.</translation>
    </message>
    <message>
        <source>Someone else saved this customer meanwhile; comparing…</source>
        <translation>Jemand anderes hat diesen Kunden inzwischen gespeichert; wird verglichen…</translation>
    </message>
    <message>
        <source>Reloading fields…</source>
        <translation>Felder werden neu geladen…</translation>
    </message>
    <message>
        <source>Not saved: {words}</source>
        <translation>Nicht gespeichert: {words}</translation>
    </message>
    <message>
        <source>Not saved. {detail}</source>
        <translation>Nicht gespeichert. {detail}</translation>
    </message>
    <message>
        <source>Kept the value someone else saved.</source>
        <translation>Den von jemand anderem gespeicherten Wert behalten.</translation>
    </message>
</context>
<context>
    <name>grid.empty_hint</name>
    <message>
        <source>No customers match “{query}” and the filters {filters}.</source>
        <translation>Keine Kunden passen zu „{query}“ und den Filtern {filters}.</translation>
    </message>
    <message>
        <source>No customers match “{query}”.</source>
        <translation>Keine Kunden passen zu „{query}“.</translation>
    </message>
    <message>
        <source>No customers match the filters {filters}.</source>
        <translation>Keine Kunden passen zu den Filtern {filters}.</translation>
    </message>
    <message>
        <source>No customers to show yet.</source>
        <translation>Noch keine Kunden vorhanden.</translation>
    </message>
    <message>
        <source>Clear filters</source>
        <translation>Filter zurücksetzen</translation>
    </message>
    <message>
        <source>Show every customer again (Ctrl+Shift+L)</source>
        <translation>Wieder alle Kunden zeigen (Strg+Umschalt+L)</translation>
    </message>
</context>
<context>
    <name>grid.filter_inputs</name>
    <message>
        <source>Any</source>
        <translation>Alle</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>Ja</translation>
    </message>
    <message>
        <source>No</source>
        <translation>Nein</translation>
    </message>
    <message>
        <source>values, separated by commas</source>
        <translation>Werte, durch Kommas getrennt</translation>
    </message>
</context>
<context>
    <name>grid.filters</name>
    <message>
        <source>Name or city…  (Ctrl+F)</source>
        <translation>Name oder Ort…  (Strg+F)</translation>
    </message>
    <message>
        <source>Clear filters</source>
        <translation>Filter zurücksetzen</translation>
    </message>
    <message>
        <source>Show everyone the other filters allow again</source>
        <translation>Wieder alle zeigen, die die übrigen Filter zulassen</translation>
    </message>
    <message>
        <source>&amp;Region</source>
        <translation>&amp;Region</translation>
    </message>
    <message>
        <source>O&amp;wner</source>
        <translation>&amp;Betreuer</translation>
    </message>
    <message>
        <source>Hot fields</source>
        <translation>Schnellfelder</translation>
    </message>
    <message>
        <source>All regions</source>
        <translation>Alle Regionen</translation>
    </message>
    <message>
        <source>Anyone</source>
        <translation>Alle</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>Region</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>Betreuer</translation>
    </message>
    <message>
        <source>Feedbacks counted in {when}</source>
        <translation>Rückmeldungen gezählt in {when}</translation>
    </message>
    <message>
        <source> (every outcome)</source>
        <translation> (jedes Ergebnis)</translation>
    </message>
    <message>
        <source>{n} chosen customers</source>
        <translation>{n} ausgewählte Kunden</translation>
    </message>
    <message>
        <source>One chain</source>
        <translation>Eine Kette</translation>
    </message>
</context>
<context>
    <name>grid.model</name>
    <message>
        <source>Counting customers…</source>
        <translation>Kunden werden gezählt…</translation>
    </message>
    <message>
        <source>Updating customers…</source>
        <translation>Kunden werden aktualisiert…</translation>
    </message>
    <message>
        <source>{tip}

Read-only for you: {read_only_reason}</source>
        <translation>{tip}

Für Sie nur lesbar: {read_only_reason}</translation>
    </message>
    <message>
        <source>Click to sort</source>
        <translation>Klicken sortiert</translation>
    </message>
    <message>
        <source>Not sortable (no index)</source>
        <translation>Nicht sortierbar (kein Index)</translation>
    </message>
</context>
<context>
    <name>grid.paste</name>
    <message>
        <source>Nothing to paste: copy cells in a spreadsheet first, then choose the top left cell.</source>
        <translation>Nichts einzufügen: Kopieren Sie zuerst Zellen in einer Tabellenkalkulation und wählen Sie dann die Zelle oben links.</translation>
    </message>
    <message>
        <source>The block is {width} columns wide; only {n_visible} columns are shown from “{title}” rightwards.</source>
        <translation>Der Block ist {width} Spalten breit; ab „{title}“ nach rechts sind nur {n_visible} Spalten sichtbar.</translation>
    </message>
    <message>
        <source>The block has {n_block} rows; only {value} customers are loaded from the current one down.</source>
        <translation>Der Block hat {n_block} Zeilen; ab dem aktuellen Kunden abwärts sind nur {value} Kunden geladen.</translation>
    </message>
    <message>
        <source>Paste {number} cells ({titles}) into {number2} customers</source>
        <translation>{number} Zellen ({titles}) in {number2} Kunden einfügen</translation>
    </message>
    <message>
        <source>Fill down: select two or more rows (Shift+↓), in the column to fill.</source>
        <translation>Nach unten ausfüllen: Wählen Sie zwei oder mehr Zeilen (Umschalt+↓) in der zu füllenden Spalte.</translation>
    </message>
    <message>
        <source>“{title}” cannot be filled down.</source>
        <translation>„{title}“ lässt sich nicht nach unten ausfüllen.</translation>
    </message>
    <message>
        <source>Fill down {title} on {n} customers</source>
        <translation>{title} bei {n} Kunden nach unten ausfüllen</translation>
    </message>
    <message>
        <source>Row {value} · {name} · {title}</source>
        <translation>Zeile {value} · {name} · {title}</translation>
    </message>
    <message>
        <source>Checking {number} values…</source>
        <translation>{number} Werte werden geprüft…</translation>
    </message>
    <message>
        <source>Reading the fields to paste into…</source>
        <translation>Zielfelder werden gelesen…</translation>
    </message>
    <message>
        <source>Nothing to change: the cells hold these values already.</source>
        <translation>Nichts zu ändern: Die Zellen enthalten diese Werte bereits.</translation>
    </message>
    <message>
        <source>Pasting…</source>
        <translation>Wird eingefügt…</translation>
    </message>
    <message>
        <source>{description}: {changed} values changed</source>
        <translation>{description}: {changed} Werte geändert</translation>
    </message>
    <message>
        <source>, {refused} refused (restricted or outside your scope)</source>
        <translation>, {refused} abgelehnt (geschützt oder außerhalb Ihres Bereichs)</translation>
    </message>
    <message>
        <source>. Ctrl+Z undoes it.</source>
        <translation>. Strg+Z macht es rückgängig.</translation>
    </message>
    <message>
        <source>… and {value} more.</source>
        <translation>… und {value} weitere.</translation>
    </message>
    <message>
        <source>Nothing was pasted</source>
        <translation>Nichts eingefügt</translation>
    </message>
    <message>
        <source>&lt;b&gt;Nothing was written:&lt;/b&gt; {n_problems} of the cells cannot be taken as they are.</source>
        <translation>&lt;b&gt;Nichts geschrieben:&lt;/b&gt; {n_problems} der Zellen lassen sich so nicht übernehmen.</translation>
    </message>
    <message>
        <source>Nothing was pasted: {value}</source>
        <translation>Nichts eingefügt: {value}</translation>
    </message>
</context>
<context>
    <name>grid.saved_views</name>
    <message>
        <source>Save view</source>
        <translation>Ansicht speichern</translation>
    </message>
    <message>
        <source>e.g. Renewals North, high ROI</source>
        <translation>z. B. Verlängerungen Nord, hoher ROI</translation>
    </message>
    <message>
        <source>Share with everyone</source>
        <translation>Mit allen teilen</translation>
    </message>
    <message>
        <source>Saves the filters, the visible columns and the sort order.
Saving under the name of one of your views replaces it.</source>
        <translation>Speichert die Filter, die sichtbaren Spalten und die Sortierung.
Speichern unter dem Namen einer Ihrer Ansichten ersetzt sie.</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Saved views: filters, columns and sort</source>
        <translation>Gespeicherte Ansichten: Filter, Spalten und Sortierung</translation>
    </message>
    <message>
        <source>Save view…</source>
        <translation>Ansicht speichern…</translation>
    </message>
    <message>
        <source>Save the current filters, columns and sort as a view</source>
        <translation>Aktuelle Filter, Spalten und Sortierung als Ansicht speichern</translation>
    </message>
    <message>
        <source>Delete view</source>
        <translation>Ansicht löschen</translation>
    </message>
    <message>
        <source>Views</source>
        <translation>Ansichten</translation>
    </message>
    <message>
        <source>Save or delete a view</source>
        <translation>Ansicht speichern oder löschen</translation>
    </message>
    <message>
        <source>Loading saved views…</source>
        <translation>Gespeicherte Ansichten werden geladen…</translation>
    </message>
    <message>
        <source>Saving the view</source>
        <translation>Speichern der Ansicht</translation>
    </message>
    <message>
        <source>Saving the view…</source>
        <translation>Ansicht wird gespeichert…</translation>
    </message>
    <message>
        <source>Deleting the view</source>
        <translation>Löschen der Ansicht</translation>
    </message>
    <message>
        <source>Deleting the view…</source>
        <translation>Ansicht wird gelöscht…</translation>
    </message>
    <message>
        <source>Delete the view “{name}”?</source>
        <translation>Ansicht „{name}“ löschen?</translation>
    </message>
    <message>
        <source>No saved view</source>
        <translation>Keine Ansicht</translation>
    </message>
    <message>
        <source>{name}  (shared by {value})</source>
        <translation>{name}  (geteilt von {value})</translation>
    </message>
    <message>
        <source>  (shared)</source>
        <translation>  (geteilt)</translation>
    </message>
</context>
<context>
    <name>grid.view</name>
    <message>
        <source>Columns</source>
        <translation>Spalten</translation>
    </message>
</context>
<context>
    <name>imports.wizard</name>
    <message>
        <source>Create new customers and update existing ones</source>
        <translation>Neue Kunden anlegen und bestehende aktualisieren</translation>
    </message>
    <message>
        <source>Only create new customers</source>
        <translation>Nur neue Kunden anlegen</translation>
    </message>
    <message>
        <source>Only update existing customers</source>
        <translation>Nur bestehende Kunden aktualisieren</translation>
    </message>
    <message>
        <source>External reference</source>
        <translation>Externe Referenz</translation>
    </message>
    <message>
        <source>Contact e-mail</source>
        <translation>E-Mail des Kontakts</translation>
    </message>
    <message>
        <source>Contact phone</source>
        <translation>Telefon des Kontakts</translation>
    </message>
    <message>
        <source>Name and city</source>
        <translation>Name und Ort</translation>
    </message>
    <message>
        <source>New customer</source>
        <translation>Neuer Kunde</translation>
    </message>
    <message>
        <source>Update</source>
        <translation>Aktualisieren</translation>
    </message>
    <message>
        <source>Unchanged</source>
        <translation>Unverändert</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>Customer name</source>
        <translation>Kundenname</translation>
    </message>
    <message>
        <source>City</source>
        <translation>Ort</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>Region</translation>
    </message>
    <message>
        <source>Owner (login)</source>
        <translation>Betreuer (Anmeldename)</translation>
    </message>
    <message>
        <source>Contact name</source>
        <translation>Name des Kontakts</translation>
    </message>
    <message>
        <source>&apos;{value}&apos; is not a number</source>
        <translation>„{value}“ ist keine Zahl</translation>
    </message>
    <message>
        <source>&apos;{value}&apos; is not a whole number</source>
        <translation>„{value}“ ist keine ganze Zahl</translation>
    </message>
    <message>
        <source>&apos;{value}&apos; is not a date</source>
        <translation>„{value}“ ist kein Datum</translation>
    </message>
    <message>
        <source>&apos;{value}&apos; is neither yes nor no</source>
        <translation>„{value}“ ist weder ja noch nein</translation>
    </message>
    <message>
        <source>&apos;{value}&apos; is not an e-mail address</source>
        <translation>„{value}“ ist keine E-Mail-Adresse</translation>
    </message>
    <message>
        <source>&apos;{value}&apos; is not a phone number</source>
        <translation>„{value}“ ist keine Telefonnummer</translation>
    </message>
    <message>
        <source>&apos;{value}&apos; is none of the known values</source>
        <translation>„{value}“ ist keiner der bekannten Werte</translation>
    </message>
    <message>
        <source>is empty</source>
        <translation>ist leer</translation>
    </message>
    <message>
        <source>must not be empty</source>
        <translation>darf nicht leer sein</translation>
    </message>
    <message>
        <source>the key is empty</source>
        <translation>der Schlüssel ist leer</translation>
    </message>
    <message>
        <source>1. File</source>
        <translation>1. Datei</translation>
    </message>
    <message>
        <source>2. Mapping</source>
        <translation>2. Zuordnung</translation>
    </message>
    <message>
        <source>3. Preview</source>
        <translation>3. Vorschau</translation>
    </message>
    <message>
        <source>4. Report</source>
        <translation>4. Bericht</translation>
    </message>
    <message>
        <source>Import customers</source>
        <translation>Kunden importieren</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Zurück</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>Weiter</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>A .csv or .xlsx file: one customer per row, headings in the first</source>
        <translation>Eine .csv- oder .xlsx-Datei: ein Kunde je Zeile, Überschriften in der ersten</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Datei</translation>
    </message>
    <message>
        <source>What to do</source>
        <translation>Vorgehen</translation>
    </message>
    <message>
        <source>Find existing customers by</source>
        <translation>Bestehende Kunden finden über</translation>
    </message>
    <message>
        <source>Encoding and separator are detected; German numbers (1.800,50) and dates (01.10.2026) are understood. Nothing is written before you have seen the preview, and the whole import can be undone (Ctrl+Z).</source>
        <translation>Zeichenkodierung und Trennzeichen werden erkannt; deutsche Zahlen (1.800,50) und Datumsangaben (01.10.2026) werden verstanden. Geschrieben wird erst, nachdem Sie die Vorschau gesehen haben, und der ganze Import lässt sich rückgängig machen (Strg+Z).</translation>
    </message>
    <message>
        <source>Column of the file</source>
        <translation>Spalte der Datei</translation>
    </message>
    <message>
        <source>Examples</source>
        <translation>Beispiele</translation>
    </message>
    <message>
        <source>Imported as</source>
        <translation>Importiert als</translation>
    </message>
    <message>
        <source>Region of rows without one</source>
        <translation>Region für Zeilen ohne Region</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>Zeile</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Aktion</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Kunde</translation>
    </message>
    <message>
        <source>Changes (old → new)</source>
        <translation>Änderungen (alt → neu)</translation>
    </message>
    <message>
        <source>Errors</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>Skip the rows with errors and import the others</source>
        <translation>Zeilen mit Fehlern überspringen und die übrigen importieren</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>Vorschau</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>Importieren</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>Customer lists (*.csv *.xlsx *.txt)</source>
        <translation>Kundenlisten (*.csv *.xlsx *.txt)</translation>
    </message>
    <message>
        <source>Reading the file</source>
        <translation>Das Lesen der Datei</translation>
    </message>
    <message>
        <source>Reading the file…</source>
        <translation>Datei wird gelesen…</translation>
    </message>
    <message>
        <source>{n} row</source>
        <translation>{n} Zeile</translation>
    </message>
    <message>
        <source>{n} rows</source>
        <translation>{n} Zeilen</translation>
    </message>
    <message>
        <source>{n} column</source>
        <translation>{n} Spalte</translation>
    </message>
    <message>
        <source>{n} columns</source>
        <translation>{n} Spalten</translation>
    </message>
    <message>
        <source>Choose what each column is imported as; the mapping is kept for files with the same columns.</source>
        <translation>Wählen Sie, als was jede Spalte importiert wird; die Zuordnung wird für Dateien mit denselben Spalten gespeichert.</translation>
    </message>
    <message>
        <source>(not imported)</source>
        <translation>(nicht importiert)</translation>
    </message>
    <message>
        <source>The preview</source>
        <translation>Die Vorschau</translation>
    </message>
    <message>
        <source>Checking the file…</source>
        <translation>Datei wird geprüft…</translation>
    </message>
    <message>
        <source>{rows}: {created}, {updated} to update, {unchanged} unchanged, {errors} with errors.</source>
        <translation>{rows}: {created}, {updated} zu aktualisieren, {unchanged} unverändert, {errors} mit Fehlern.</translation>
    </message>
    <message>
        <source>&lt;b&gt;{n}&lt;/b&gt; new customer</source>
        <translation>&lt;b&gt;{n}&lt;/b&gt; neuer Kunde</translation>
    </message>
    <message>
        <source>&lt;b&gt;{n}&lt;/b&gt; new customers</source>
        <translation>&lt;b&gt;{n}&lt;/b&gt; neue Kunden</translation>
    </message>
    <message>
        <source>An import with errors writes nothing, unless you skip those rows.</source>
        <translation>Ein Import mit Fehlern schreibt nichts, es sei denn, Sie überspringen diese Zeilen.</translation>
    </message>
    <message>
        <source>Not imported: {columns}.</source>
        <translation>Nicht importiert: {columns}.</translation>
    </message>
    <message>
        <source>{n} new contact</source>
        <translation>{n} neuer Kontakt</translation>
    </message>
    <message>
        <source>{n} new contacts</source>
        <translation>{n} neue Kontakte</translation>
    </message>
    <message>
        <source>Importing {name}…</source>
        <translation>{name} wird importiert…</translation>
    </message>
    <message>
        <source>The import</source>
        <translation>Der Import</translation>
    </message>
    <message>
        <source>Importing…</source>
        <translation>Import läuft…</translation>
    </message>
    <message>
        <source>Stopping after the current batch… what ran stays and can be undone.</source>
        <translation>Wird nach dem laufenden Stapel angehalten… Bereits Importiertes bleibt und lässt sich rückgängig machen.</translation>
    </message>
    <message>
        <source>Importing…
{done} of {total} row</source>
        <translation>Import läuft…
{done} von {total} Zeile</translation>
    </message>
    <message>
        <source>Importing…
{done} of {total} rows</source>
        <translation>Import läuft…
{done} von {total} Zeilen</translation>
    </message>
    <message>
        <source>Import done</source>
        <translation>Import abgeschlossen</translation>
    </message>
    <message>
        <source>Import stopped</source>
        <translation>Import angehalten</translation>
    </message>
    <message>
        <source>{n} customer created</source>
        <translation>{n} Kunde angelegt</translation>
    </message>
    <message>
        <source>{n} customers created</source>
        <translation>{n} Kunden angelegt</translation>
    </message>
    <message>
        <source>&lt;b&gt;{head}&lt;/b&gt;: {created}, {updated} updated, {unchanged} unchanged</source>
        <translation>&lt;b&gt;{head}&lt;/b&gt;: {created}, {updated} aktualisiert, {unchanged} unverändert</translation>
    </message>
    <message>
        <source>{n} row left out</source>
        <translation>{n} Zeile ausgelassen</translation>
    </message>
    <message>
        <source>{n} rows left out</source>
        <translation>{n} Zeilen ausgelassen</translation>
    </message>
    <message>
        <source>You stopped it: what ran stays, as a partial change set.</source>
        <translation>Sie haben ihn angehalten: Bereits Importiertes bleibt als unvollständiger Änderungssatz erhalten.</translation>
    </message>
    <message>
        <source>Undo (Ctrl+Z) or the change-set history (Ctrl+H) takes the whole import back; customers someone has changed since stay.</source>
        <translation>Rückgängig (Strg+Z) oder der Verlauf der Änderungssätze (Strg+H) nimmt den ganzen Import zurück; Kunden, die inzwischen jemand geändert hat, bleiben erhalten.</translation>
    </message>
    <message>
        <source>Row {row}, {column}: {reason}</source>
        <translation>Zeile {row}, {column}: {reason}</translation>
    </message>
</context>
<context>
    <name>main_window</name>
    <message>
        <source>Steward — Customers · {display_name} ({title})</source>
        <translation>Steward – Kunden · {display_name} ({title})</translation>
    </message>
    <message>
        <source>Customers</source>
        <translation>Kunden</translation>
    </message>
    <message>
        <source>Cockpit</source>
        <translation>Cockpit</translation>
    </message>
    <message>
        <source>KPI charts and focus lists (Ctrl+3)</source>
        <translation>Kennzahlen-Diagramme und Fokuslisten (Strg+3)</translation>
    </message>
    <message>
        <source>Showing {about}. Clear filters (Ctrl+Shift+L) shows everyone again.</source>
        <translation>Angezeigt: {about}. „Filter zurücksetzen“ (Strg+Umschalt+L) zeigt wieder alle.</translation>
    </message>
    <message>
        <source>Unsaved changes to {name}: save (Ctrl+S) or discard them to open another customer.</source>
        <translation>Ungespeicherte Änderungen an {name}: Speichern (Strg+S) oder verwerfen Sie sie, um einen anderen Kunden zu öffnen.</translation>
    </message>
    <message>
        <source>{name}, opened from the cockpit</source>
        <translation>{name}, aus dem Cockpit geöffnet</translation>
    </message>
    <message>
        <source>{text} is not in the grid any more; its unsaved changes are kept until you save (Ctrl+S) or discard them.</source>
        <translation>{text} ist nicht mehr in der Tabelle; die ungespeicherten Änderungen bleiben, bis Sie sie speichern (Strg+S) oder verwerfen.</translation>
    </message>
    <message>
        <source>Loading the customers</source>
        <translation>Laden der Kunden</translation>
    </message>
    <message>
        <source>Imported: {created} created, {updated} updated.</source>
        <translation>Importiert: {created} angelegt, {updated} aktualisiert.</translation>
    </message>
    <message>
        <source>Export the view</source>
        <translation>Ansicht exportieren</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>Ungespeicherte Änderungen</translation>
    </message>
    <message>
        <source>Save your changes to {text} before closing?</source>
        <translation>Ihre Änderungen an {text} vor dem Schließen speichern?</translation>
    </message>
</context>
<context>
    <name>menus</name>
    <message>
        <source>Ctrl+F	find customers (Enter goes to the grid)
↑ ↓ PgUp PgDn	move in the grid
Enter	open the customer&apos;s fields (on a field&apos;s cell: edit it)
Ctrl+S	save the changed fields
Esc	revert the field you are editing
Ctrl+1 / Ctrl+2 / Ctrl+3	grid / detail / cockpit (KPI charts and focus lists)
Ctrl+Shift+S / Ctrl+Shift+A	request a sample / log an activity
F5	refresh
Ctrl+E	export the view to CSV (Ctrl+Shift+E: Excel)
Ctrl+N / Ctrl+M	new customer / edit the customer&apos;s master data
F2, Enter, double click	edit a field cell in the grid (Enter saves, Esc cancels)
Ctrl+D / Ctrl+V	fill down the selected rows / paste cells from a spreadsheet
Ctrl+B	bulk edit the selection or the whole filter
Ctrl+Z / Ctrl+H	undo your last bulk change / the change-set history</source>
        <translation>Strg+F	Kunden suchen (Eingabetaste wechselt in die Tabelle)
↑ ↓ Bild↑ Bild↓	in der Tabelle bewegen
Eingabetaste	Felder des Kunden öffnen (auf einer Feldzelle: bearbeiten)
Strg+S	geänderte Felder speichern
Esc	das bearbeitete Feld zurücksetzen
Strg+1 / Strg+2 / Strg+3	Tabelle / Details / Cockpit (Kennzahlen-Diagramme und Fokuslisten)
Strg+Umschalt+S / Strg+Umschalt+A	Muster anfordern / Aktivität erfassen
F5	aktualisieren
Strg+E	Ansicht als CSV exportieren (Strg+Umschalt+E: Excel)
Strg+N / Strg+M	neuer Kunde / Stammdaten des Kunden bearbeiten
F2, Eingabetaste, Doppelklick	Feldzelle in der Tabelle bearbeiten (Eingabetaste speichert, Esc bricht ab)
Strg+D / Strg+V	ausgewählte Zeilen nach unten ausfüllen / Zellen aus einer Tabellenkalkulation einfügen
Strg+B	Auswahl oder ganzen Filter per Sammelbearbeitung ändern
Strg+Z / Strg+H	letzte Sammeländerung rückgängig machen / Verlauf der Änderungssätze</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;Import customers…</source>
        <translation>Kunden &amp;importieren…</translation>
    </message>
    <message>
        <source>Export view to &amp;CSV…</source>
        <translation>Ansicht als &amp;CSV exportieren…</translation>
    </message>
    <message>
        <source>Export view to &amp;Excel…</source>
        <translation>Ansicht als &amp;Excel exportieren…</translation>
    </message>
    <message>
        <source>&amp;Back up now…</source>
        <translation>Jetzt &amp;sichern…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>&amp;Find customers</source>
        <translation>Kunden &amp;suchen</translation>
    </message>
    <message>
        <source>&amp;Grid</source>
        <translation>&amp;Tabelle</translation>
    </message>
    <message>
        <source>&amp;Detail</source>
        <translation>&amp;Details</translation>
    </message>
    <message>
        <source>C&amp;ockpit</source>
        <translation>&amp;Cockpit</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>A&amp;ktualisieren</translation>
    </message>
    <message>
        <source>&amp;Clear filters</source>
        <translation>&amp;Filter zurücksetzen</translation>
    </message>
    <message>
        <source>C&amp;olumns</source>
        <translation>Spa&amp;lten</translation>
    </message>
    <message>
        <source>&amp;Language &amp;&amp; formats…</source>
        <translation>Sp&amp;rache &amp;&amp; Formate…</translation>
    </message>
    <message>
        <source>&amp;Customer</source>
        <translation>&amp;Kunde</translation>
    </message>
    <message>
        <source>&amp;Save fields</source>
        <translation>Felder &amp;speichern</translation>
    </message>
    <message>
        <source>&amp;Discard changes</source>
        <translation>Änderungen &amp;verwerfen</translation>
    </message>
    <message>
        <source>&amp;Request sample…</source>
        <translation>&amp;Muster anfordern…</translation>
    </message>
    <message>
        <source>&amp;Log activity…</source>
        <translation>A&amp;ktivität erfassen…</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>&amp;Tastenkürzel</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Tastenkürzel</translation>
    </message>
</context>
<context>
    <name>paged_model</name>
    <message>
        <source>Refreshing</source>
        <translation>Aktualisieren</translation>
    </message>
    <message>
        <source>Loading</source>
        <translation>Laden</translation>
    </message>
</context>
<context>
    <name>preferences</name>
    <message>
        <source>Language &amp; formats</source>
        <translation>Sprache &amp; Formate</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>Systemvorgabe</translation>
    </message>
    <message>
        <source>Numbers, money, dates and times everywhere in Steward, in the exports too. Lists and charts change when they are read again; every other field when Steward starts again.</source>
        <translation>Zahlen, Beträge, Datums- und Zeitangaben überall in Steward, auch in den Exporten. Listen und Diagramme ändern sich beim nächsten Lesen, alle anderen Felder beim nächsten Start.</translation>
    </message>
    <message>
        <source>The language changes when Steward starts again.</source>
        <translation>Die Sprache wechselt beim nächsten Start von Steward.</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <source>Numbers and dates</source>
        <translation>Zahlen und Datum</translation>
    </message>
    <message>
        <source>Time zone</source>
        <translation>Zeitzone</translation>
    </message>
    <message>
        <source>Looks like</source>
        <translation>Beispiel</translation>
    </message>
    <message>
        <source>STEWARD_LOCALE or STEWARD_TIMEZONE is set for this program and wins over the choice made here.</source>
        <translation>STEWARD_LOCALE oder STEWARD_TIMEZONE ist für dieses Programm gesetzt und hat Vorrang vor der Wahl hier.</translation>
    </message>
</context>
<context>
    <name>splash</name>
    <message>
        <source>QT_QPA_PLATFORM is xcb but DISPLAY is not set.</source>
        <translation>QT_QPA_PLATFORM ist xcb, aber DISPLAY ist nicht gesetzt.</translation>
    </message>
    <message>
        <source>QT_QPA_PLATFORM is wayland but WAYLAND_DISPLAY is not set.</source>
        <translation>QT_QPA_PLATFORM ist wayland, aber WAYLAND_DISPLAY ist nicht gesetzt.</translation>
    </message>
    <message>
        <source>neither DISPLAY nor WAYLAND_DISPLAY is set. Start Steward inside a desktop session, or set QT_QPA_PLATFORM=offscreen to run it without a screen.</source>
        <translation>weder DISPLAY noch WAYLAND_DISPLAY ist gesetzt. Starten Sie Steward in einer Desktop-Sitzung oder setzen Sie QT_QPA_PLATFORM=offscreen, um es ohne Bildschirm auszuführen.</translation>
    </message>
    <message>
        <source>Steward — starting</source>
        <translation>Steward – Start</translation>
    </message>
    <message>
        <source>Steward</source>
        <translation>Steward</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Wird gestartet…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Stop starting and close Steward</source>
        <translation>Start abbrechen und Steward schließen</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Wird abgebrochen…</translation>
    </message>
</context>
<context>
    <name>status</name>
    <message>
        <source>0 customers match</source>
        <translation>0 Kunden passen</translation>
    </message>
    <message>
        <source>{loaded} of {total} customers loaded</source>
        <translation>{loaded} von {total} Kunden geladen</translation>
    </message>
    <message>
        <source>{loaded} customers loaded</source>
        <translation>{loaded} Kunden geladen</translation>
    </message>
    <message>
        <source> (more on scrolling)</source>
        <translation> (weitere beim Blättern)</translation>
    </message>
    <message>
        <source>·  data as of {as_of} — reconnecting</source>
        <translation>·  Datenstand {as_of} – Verbindung wird wiederhergestellt</translation>
    </message>
    <message>
        <source>·  data as of {as_of}</source>
        <translation>·  Datenstand {as_of}</translation>
    </message>
</context>
<context>
    <name>stewardship.actions</name>
    <message>
        <source>&amp;New customer…</source>
        <translation>&amp;Neuer Kunde…</translation>
    </message>
    <message>
        <source>Edit &amp;master data…</source>
        <translation>S&amp;tammdaten bearbeiten…</translation>
    </message>
    <message>
        <source>Rea&amp;ssign…</source>
        <translation>&amp;Neu zuordnen…</translation>
    </message>
    <message>
        <source>Find &amp;duplicates…</source>
        <translation>&amp;Dubletten finden…</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Bearbeiten</translation>
    </message>
    <message>
        <source>&amp;Undo last bulk change</source>
        <translation>Letzte Sammeländerung &amp;rückgängig</translation>
    </message>
    <message>
        <source>&amp;Edit cell</source>
        <translation>Zelle &amp;bearbeiten</translation>
    </message>
    <message>
        <source>&amp;Fill down</source>
        <translation>Nach &amp;unten ausfüllen</translation>
    </message>
    <message>
        <source>&amp;Paste cells</source>
        <translation>Zellen &amp;einfügen</translation>
    </message>
    <message>
        <source>&amp;Bulk edit…</source>
        <translation>&amp;Sammelbearbeitung…</translation>
    </message>
    <message>
        <source>Change-set &amp;history…</source>
        <translation>&amp;Verlauf der Änderungssätze…</translation>
    </message>
    <message>
        <source>&amp;Undo “{description}”</source>
        <translation>„{description}“ &amp;rückgängig</translation>
    </message>
    <message>
        <source>&amp;Undo (nothing to undo)</source>
        <translation>&amp;Rückgängig (nichts rückgängig zu machen)</translation>
    </message>
    <message>
        <source>Finding what to undo…</source>
        <translation>Rückgängig zu Machendes wird gesucht…</translation>
    </message>
    <message>
        <source>&amp;Bulk edit {n} customers…</source>
        <translation>&amp;Sammelbearbeitung von {n} Kunden…</translation>
    </message>
    <message>
        <source>Created {name}.</source>
        <translation>{name} angelegt.</translation>
    </message>
    <message>
        <source>the new customer {name}</source>
        <translation>den neuen Kunden {name}</translation>
    </message>
    <message>
        <source>Select a customer first.</source>
        <translation>Wählen Sie zuerst einen Kunden.</translation>
    </message>
    <message>
        <source>Loading the customer</source>
        <translation>Laden des Kunden</translation>
    </message>
    <message>
        <source>Loading the customer…</source>
        <translation>Kunde wird geladen…</translation>
    </message>
    <message>
        <source>Saved the master data of {name}.</source>
        <translation>Stammdaten von {name} gespeichert.</translation>
    </message>
    <message>
        <source>Select the customers to reassign first.</source>
        <translation>Wählen Sie zuerst die neu zuzuordnenden Kunden.</translation>
    </message>
    <message>
        <source>{description}: {summary} changed. Ctrl+Z undoes it.</source>
        <translation>{description}: {summary} geändert. Strg+Z macht es rückgängig.</translation>
    </message>
</context>
<context>
    <name>stewardship.bulk_apply</name>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Bulk edit</source>
        <translation>Sammelbearbeitung</translation>
    </message>
    <message>
        <source>Bulk edit…</source>
        <translation>Sammelbearbeitung…</translation>
    </message>
    <message>
        <source>Stopping after the current batch… what ran stays and can be undone.</source>
        <translation>Stopp nach dem laufenden Block… Bereits Geändertes bleibt und lässt sich rückgängig machen.</translation>
    </message>
    <message>
        <source>Stopping the bulk edit after the current batch…</source>
        <translation>Sammelbearbeitung stoppt nach dem laufenden Block…</translation>
    </message>
    <message>
        <source>{description}…
{done} of {total} customers</source>
        <translation>{description}…
{done} von {total} Kunden</translation>
    </message>
    <message>
        <source>{description}: {summary} changed.</source>
        <translation>{description}: {summary} geändert.</translation>
    </message>
    <message>
        <source>Bulk edit stopped</source>
        <translation>Sammelbearbeitung gestoppt</translation>
    </message>
    <message>
        <source>You stopped it: what ran stays, as a partial change set. Undo (Ctrl+Z) takes it back.</source>
        <translation>Sie haben sie gestoppt: Bereits Geändertes bleibt als teilweiser Änderungssatz. Rückgängig (Strg+Z) nimmt ihn zurück.</translation>
    </message>
    <message>
        <source>Bulk edit done</source>
        <translation>Sammelbearbeitung abgeschlossen</translation>
    </message>
    <message>
        <source>Undo (Ctrl+Z) takes it back.</source>
        <translation>Rückgängig (Strg+Z) nimmt es zurück.</translation>
    </message>
    <message>
        <source>{refused} values were refused (restricted fields or customers outside your scope). </source>
        <translation>{refused} Werte wurden abgelehnt (geschützte Felder oder Kunden außerhalb Ihres Bereichs). </translation>
    </message>
    <message>
        <source>The bulk edit</source>
        <translation>Die Sammelbearbeitung</translation>
    </message>
</context>
<context>
    <name>stewardship.bulk_edit</name>
    <message>
        <source>Bulk edit</source>
        <translation>Sammelbearbeitung</translation>
    </message>
    <message>
        <source>The {number} selected customers</source>
        <translation>Die {number} ausgewählten Kunden</translation>
    </message>
    <message>
        <source>The selected customer</source>
        <translation>Der ausgewählte Kunde</translation>
    </message>
    <message>
        <source>all customers of the current filter</source>
        <translation>alle Kunden des aktuellen Filters</translation>
    </message>
    <message>
        <source>{label} (restricted)</source>
        <translation>{label} (geschützt)</translation>
    </message>
    <message>
        <source>Contract and price field: only chain managers and admins change it. The preview shows it refused.</source>
        <translation>Vertrags- und Preisfeld: Nur Kettenbetreuung und Administration ändern es. Die Vorschau zeigt es als abgelehnt.</translation>
    </message>
    <message>
        <source>Set to</source>
        <translation>Setzen auf</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Leeren</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>Vorschau</translation>
    </message>
    <message>
        <source>Choose the fields to change.</source>
        <translation>Wählen Sie die zu ändernden Felder.</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>Anwenden</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Änderung</translation>
    </message>
    <message>
        <source>Fields</source>
        <translation>Felder</translation>
    </message>
    <message>
        <source>Counting…</source>
        <translation>Wird gezählt…</translation>
    </message>
    <message>
        <source>Previewing the bulk edit…</source>
        <translation>Vorschau der Sammelbearbeitung…</translation>
    </message>
    <message>
        <source>No preview: {detail} </source>
        <translation>Keine Vorschau: {detail} </translation>
    </message>
    <message>
        <source>Clear {field}</source>
        <translation>{field} leeren</translation>
    </message>
    <message>
        <source>Set {field}</source>
        <translation>{field} setzen</translation>
    </message>
    <message>
        <source>{what} on {n} customer</source>
        <translation>{what} bei {n} Kunden</translation>
    </message>
    <message>
        <source>{what} on {n} customers</source>
        <translation>{what} bei {n} Kunden</translation>
    </message>
</context>
<context>
    <name>stewardship.bulk_preview</name>
    <message>
        <source>&lt;i&gt;empty&lt;/i&gt;</source>
        <translation>&lt;i&gt;leer&lt;/i&gt;</translation>
    </message>
    <message>
        <source>{customers} customer, {writable} writable, {out_of_scope} out of your scope</source>
        <translation>{customers} Kunde, {writable} änderbar, {out_of_scope} außerhalb Ihres Bereichs</translation>
    </message>
    <message>
        <source>{customers} customers, {writable} writable, {out_of_scope} out of your scope</source>
        <translation>{customers} Kunden, {writable} änderbar, {out_of_scope} außerhalb Ihres Bereichs</translation>
    </message>
    <message>
        <source>&lt;br&gt;&lt;span style=&apos;color:#7a4b00&apos;&gt;Customers out of your scope are left as they are.&lt;/span&gt;</source>
        <translation>&lt;br&gt;&lt;span style=&apos;color:#7a4b00&apos;&gt;Kunden außerhalb Ihres Bereichs bleiben unverändert.&lt;/span&gt;</translation>
    </message>
    <message>
        <source>&lt;p style=&apos;color:#8f1d18&apos;&gt;&lt;b&gt;Not valid — nothing would be written:&lt;/b&gt;&lt;/p&gt;&lt;ul&gt;{lines}&lt;/ul&gt;</source>
        <translation>&lt;p style=&apos;color:#8f1d18&apos;&gt;&lt;b&gt;Ungültig – es würde nichts geschrieben:&lt;/b&gt;&lt;/p&gt;&lt;ul&gt;{lines}&lt;/ul&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;{escape}&lt;/b&gt; → {new}&lt;br&gt;&lt;span style=&apos;color:#8f1d18&apos;&gt;Refused: {escape2}&lt;/span&gt;&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;{escape}&lt;/b&gt; → {new}&lt;br&gt;&lt;span style=&apos;color:#8f1d18&apos;&gt;Abgelehnt: {escape2}&lt;/span&gt;&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;{escape}&lt;/b&gt; → {new}: &lt;b&gt;{changing}&lt;/b&gt; change, {unchanged} unchanged</source>
        <translation>&lt;p&gt;&lt;b&gt;{escape}&lt;/b&gt; → {new}: &lt;b&gt;{changing}&lt;/b&gt; ändern sich, {unchanged} unverändert</translation>
    </message>
    <message>
        <source>&lt;br&gt;&amp;nbsp;&amp;nbsp;&amp;nbsp;{value} → {new} &lt;span style=&apos;color:#666&apos;&gt;({customers})&lt;/span&gt;</source>
        <translation>&lt;br&gt;&amp;nbsp;&amp;nbsp;&amp;nbsp;{value} → {new} &lt;span style=&apos;color:#666&apos;&gt;({customers})&lt;/span&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;Nothing would change.&lt;/p&gt;</source>
        <translation>&lt;p&gt;Nichts würde sich ändern.&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>stewardship.contact_dialogs</name>
    <message>
        <source>Reachable</source>
        <translation>Erreichbar</translation>
    </message>
    <message>
        <source>Soft bounce (try again later)</source>
        <translation>Vorübergehend unzustellbar (später erneut versuchen)</translation>
    </message>
    <message>
        <source>Hard bounce (address invalid)</source>
        <translation>Dauerhaft unzustellbar (Adresse ungültig)</translation>
    </message>
    <message>
        <source>Do not contact</source>
        <translation>Nicht kontaktieren</translation>
    </message>
    <message>
        <source>Edit contact</source>
        <translation>Kontakt bearbeiten</translation>
    </message>
    <message>
        <source>Add contact</source>
        <translation>Kontakt hinzufügen</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Speichern</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Wird gespeichert…</translation>
    </message>
    <message>
        <source>e.g. Jürgen Weißenböck</source>
        <translation>z. B. Jürgen Weißenböck</translation>
    </message>
    <message>
        <source>name@example.de</source>
        <translation>name@example.de</translation>
    </message>
    <message>
        <source>— choose at least one —</source>
        <translation>– mindestens eine auswählen –</translation>
    </message>
    <message>
        <source>Do not contact this person (any channel)</source>
        <translation>Diese Person nicht kontaktieren (kein Kanal)</translation>
    </message>
    <message>
        <source>Name *</source>
        <translation>Name *</translation>
    </message>
    <message>
        <source>Roles here *</source>
        <translation>Rollen hier *</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>E-Mail</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Telefon</translation>
    </message>
    <message>
        <source>Give the contact&apos;s name.</source>
        <translation>Geben Sie den Namen des Kontakts an.</translation>
    </message>
    <message>
        <source>Choose the role(s) this person holds here.</source>
        <translation>Wählen Sie die Rolle(n) dieser Person hier.</translation>
    </message>
    <message>
        <source>Saving the contact…</source>
        <translation>Kontakt wird gespeichert…</translation>
    </message>
    <message>
        <source>Link an existing contact</source>
        <translation>Vorhandenen Kontakt verknüpfen</translation>
    </message>
    <message>
        <source>Link contact</source>
        <translation>Kontakt verknüpfen</translation>
    </message>
    <message>
        <source>Linking…</source>
        <translation>Wird verknüpft…</translation>
    </message>
    <message>
        <source>Find the customer the contact works for…</source>
        <translation>Kunden suchen, für den der Kontakt arbeitet…</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Kunde</translation>
    </message>
    <message>
        <source>Contact</source>
        <translation>Kontakt</translation>
    </message>
    <message>
        <source>Finding contacts…</source>
        <translation>Kontakte werden gesucht…</translation>
    </message>
    <message>
        <source>Could not search: {e}</source>
        <translation>Suche nicht möglich: {e}</translation>
    </message>
    <message>
        <source>{full_name} — {roles} at {customer_name}</source>
        <translation>{full_name} – {roles} bei {customer_name}</translation>
    </message>
    <message>
        <source>Find and choose the contact.</source>
        <translation>Suchen und wählen Sie den Kontakt.</translation>
    </message>
    <message>
        <source>Linking the contact…</source>
        <translation>Kontakt wird verknüpft…</translation>
    </message>
    <message>
        <source>Contactability — {name}</source>
        <translation>Erreichbarkeit – {name}</translation>
    </message>
    <message>
        <source>Use another channel than the usual one</source>
        <translation>Einen anderen als den üblichen Kanal nutzen</translation>
    </message>
    <message>
        <source>Why, e.g. “Mailbox full since March; reach the chef by phone.”</source>
        <translation>Warum, z. B. „Postfach seit März voll; Küchenchef telefonisch erreichen.“</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
    <message>
        <source>Say why the customer cannot be reached as usual.</source>
        <translation>Geben Sie an, warum der Kunde nicht wie üblich erreichbar ist.</translation>
    </message>
    <message>
        <source>Saving contactability…</source>
        <translation>Erreichbarkeit wird gespeichert…</translation>
    </message>
</context>
<context>
    <name>stewardship.form</name>
    <message>
        <source>Another customer has this already.</source>
        <translation>Ein anderer Kunde hat das bereits.</translation>
    </message>
    <message>
        <source>There is no such person.</source>
        <translation>Diese Person gibt es nicht.</translation>
    </message>
    <message>
        <source>This person works outside your region.</source>
        <translation>Diese Person arbeitet außerhalb Ihrer Region.</translation>
    </message>
    <message>
        <source>Not your region.</source>
        <translation>Nicht Ihre Region.</translation>
    </message>
    <message>
        <source>There is no such chain you may use.</source>
        <translation>Es gibt keine solche Kette, die Sie verwenden dürfen.</translation>
    </message>
    <message>
        <source>This customer is not a chain.</source>
        <translation>Dieser Kunde ist keine Kette.</translation>
    </message>
    <message>
        <source>Only admins change this.</source>
        <translation>Nur die Administration ändert das.</translation>
    </message>
    <message>
        <source>This person&apos;s login is disabled.</source>
        <translation>Die Anmeldung dieser Person ist gesperrt.</translation>
    </message>
    <message>
        <source>Not saved yet: please correct the marked inputs.</source>
        <translation>Noch nicht gespeichert: Bitte korrigieren Sie die markierten Eingaben.</translation>
    </message>
    <message>
        <source>Not saved. {detail}</source>
        <translation>Nicht gespeichert. {detail}</translation>
    </message>
</context>
<context>
    <name>stewardship.history_window</name>
    <message>
        <source>Change sets — Steward</source>
        <translation>Änderungssätze – Steward</translation>
    </message>
    <message>
        <source>Bulk changes: edits, pastes, reassignments, restores and their undos</source>
        <translation>Sammeländerungen: Bearbeitungen, Einfügungen, Neuzuordnungen, Wiederherstellungen und ihre Rücknahmen</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Aktualisieren</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Wann</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Was</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>By</source>
        <translation>Von</translation>
    </message>
    <message>
        <source>Changed</source>
        <translation>Geändert</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>No bulk changes yet. Bulk edits, pastes into the grid, reassignments and restores from history show here, and can be undone.</source>
        <translation>Noch keine Sammeländerungen. Sammelbearbeitungen, Einfügungen in die Tabelle, Neuzuordnungen und Wiederherstellungen aus dem Verlauf erscheinen hier und lassen sich rückgängig machen.</translation>
    </message>
    <message>
        <source>Select a change set to see what it changed.</source>
        <translation>Wählen Sie einen Änderungssatz, um zu sehen, was er geändert hat.</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Kunde</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <source>Before</source>
        <translation>Vorher</translation>
    </message>
    <message>
        <source>After</source>
        <translation>Nachher</translation>
    </message>
    <message>
        <source>Load more</source>
        <translation>Mehr laden</translation>
    </message>
    <message>
        <source>Loading the change sets</source>
        <translation>Laden der Änderungssätze</translation>
    </message>
    <message>
        <source>Loading change sets…</source>
        <translation>Änderungssätze werden geladen…</translation>
    </message>
    <message>
        <source>Undo…</source>
        <translation>Rückgängig…</translation>
    </message>
    <message>
        <source>Set these values back, as a new change set</source>
        <translation>Diese Werte zurücksetzen, als neuer Änderungssatz</translation>
    </message>
    <message>
        <source>Already undone</source>
        <translation>Bereits rückgängig gemacht</translation>
    </message>
    <message>
        <source>Nothing to undo</source>
        <translation>Nichts rückgängig zu machen</translation>
    </message>
    <message>
        <source>{description} — what it changed</source>
        <translation>{description} – was geändert wurde</translation>
    </message>
    <message>
        <source>Loading the values…</source>
        <translation>Werte werden geladen…</translation>
    </message>
    <message>
        <source>Loading the values</source>
        <translation>Laden der Werte</translation>
    </message>
    <message>
        <source>{number} of {total} values shown</source>
        <translation>{number} von {total} Werten angezeigt</translation>
    </message>
</context>
<context>
    <name>stewardship.master_data</name>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>City</source>
        <translation>Ort</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>Region</translation>
    </message>
    <message>
        <source>Coverage</source>
        <translation>Betreuungsmodell</translation>
    </message>
    <message>
        <source>Chain</source>
        <translation>Kette</translation>
    </message>
    <message>
        <source>External reference</source>
        <translation>Externe Referenz</translation>
    </message>
    <message>
        <source>Master data — {name}</source>
        <translation>Stammdaten – {name}</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Speichern</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Wird gespeichert…</translation>
    </message>
    <message>
        <source>Name *</source>
        <translation>Name *</translation>
    </message>
    <message>
        <source>Only admins move a customer to another region.</source>
        <translation>Nur die Administration verschiebt einen Kunden in eine andere Region.</translation>
    </message>
    <message>
        <source>A chain&apos;s coverage applies to all its locations.</source>
        <translation>Das Betreuungsmodell einer Kette gilt für alle ihre Standorte.</translation>
    </message>
    <message>
        <source>This customer is a chain.</source>
        <translation>Dieser Kunde ist eine Kette.</translation>
    </message>
    <message>
        <source>A customer needs a name.</source>
        <translation>Ein Kunde braucht einen Namen.</translation>
    </message>
    <message>
        <source>Saving master data…</source>
        <translation>Stammdaten werden gespeichert…</translation>
    </message>
    <message>
        <source>Someone else changed this customer meanwhile; comparing…</source>
        <translation>Jemand anderes hat diesen Kunden inzwischen geändert; wird verglichen…</translation>
    </message>
    <message>
        <source>Not saved. {e}</source>
        <translation>Nicht gespeichert. {e}</translation>
    </message>
    <message>
        <source>Reloading the customer…</source>
        <translation>Kunde wird neu geladen…</translation>
    </message>
    <message>
        <source>Merged with changes someone else saved meanwhile; saving…</source>
        <translation>Mit inzwischen gespeicherten Änderungen anderer zusammengeführt; wird gespeichert…</translation>
    </message>
    <message>
        <source>{name} was changed meanwhile</source>
        <translation>{name} wurde inzwischen geändert</translation>
    </message>
    <message>
        <source>Not saved: someone else changed this customer. Your values are kept; save again to compare.</source>
        <translation>Nicht gespeichert: Jemand anderes hat diesen Kunden geändert. Ihre Werte bleiben erhalten; erneut speichern vergleicht.</translation>
    </message>
    <message>
        <source>Not saved yet: choose which values to keep.</source>
        <translation>Noch nicht gespeichert: Wählen Sie, welche Werte bleiben.</translation>
    </message>
    <message>
        <source>Kept the saved values; nothing left to save.</source>
        <translation>Gespeicherte Werte behalten; nichts mehr zu speichern.</translation>
    </message>
</context>
<context>
    <name>stewardship.new_customer</name>
    <message>
        <source>Owner only</source>
        <translation>Nur Betreuer</translation>
    </message>
    <message>
        <source>Shared across the chain</source>
        <translation>Für die ganze Kette gemeinsam</translation>
    </message>
    <message>
        <source>New customer</source>
        <translation>Neuer Kunde</translation>
    </message>
    <message>
        <source>Create customer</source>
        <translation>Kunde anlegen</translation>
    </message>
    <message>
        <source>Creating…</source>
        <translation>Wird angelegt…</translation>
    </message>
    <message>
        <source>e.g. Betriebsrestaurant Hafencity</source>
        <translation>z. B. Betriebsrestaurant Hafencity</translation>
    </message>
    <message>
        <source>e.g. Hamburg</source>
        <translation>z. B. Hamburg</translation>
    </message>
    <message>
        <source>— choose a region —</source>
        <translation>– Region wählen –</translation>
    </message>
    <message>
        <source>Single location</source>
        <translation>Einzelstandort</translation>
    </message>
    <message>
        <source>Chain</source>
        <translation>Kette</translation>
    </message>
    <message>
        <source>Location of a chain</source>
        <translation>Standort einer Kette</translation>
    </message>
    <message>
        <source>— choose a chain —</source>
        <translation>– Kette wählen –</translation>
    </message>
    <message>
        <source>As the chain has it</source>
        <translation>Wie bei der Kette</translation>
    </message>
    <message>
        <source>Name *</source>
        <translation>Name *</translation>
    </message>
    <message>
        <source>City</source>
        <translation>Ort</translation>
    </message>
    <message>
        <source>Region *</source>
        <translation>Region *</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>Your new customers are your own.</source>
        <translation>Ihre neuen Kunden betreuen Sie selbst.</translation>
    </message>
    <message>
        <source>The sales people of the region.</source>
        <translation>Die Vertriebsleute der Region.</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>Betreuer</translation>
    </message>
    <message>
        <source>Coverage</source>
        <translation>Betreuungsmodell</translation>
    </message>
    <message>
        <source>optional, e.g. the ERP customer number</source>
        <translation>optional, z. B. die ERP-Kundennummer</translation>
    </message>
    <message>
        <source>External reference</source>
        <translation>Externe Referenz</translation>
    </message>
    <message>
        <source>Loading people…</source>
        <translation>Personen werden geladen…</translation>
    </message>
    <message>
        <source>Give the customer a name.</source>
        <translation>Geben Sie dem Kunden einen Namen.</translation>
    </message>
    <message>
        <source>Choose a region.</source>
        <translation>Wählen Sie eine Region.</translation>
    </message>
    <message>
        <source>Choose the chain this location belongs to.</source>
        <translation>Wählen Sie die Kette, zu der dieser Standort gehört.</translation>
    </message>
    <message>
        <source>Creating the customer…</source>
        <translation>Kunde wird angelegt…</translation>
    </message>
</context>
<context>
    <name>stewardship.pickers</name>
    <message>
        <source>Find a chain by name…</source>
        <translation>Kette nach Namen suchen…</translation>
    </message>
    <message>
        <source>No chain (a single location)</source>
        <translation>Keine Kette (Einzelstandort)</translation>
    </message>
    <message>
        <source>Finding chains…</source>
        <translation>Ketten werden gesucht…</translation>
    </message>
    <message>
        <source>Nobody yet (unassigned)</source>
        <translation>Noch niemand (nicht zugeordnet)</translation>
    </message>
</context>
<context>
    <name>stewardship.reassign</name>
    <message>
        <source>{n} customer</source>
        <translation>{n} Kunde</translation>
    </message>
    <message>
        <source>{n} customers</source>
        <translation>{n} Kunden</translation>
    </message>
    <message>
        <source>Reassign customers</source>
        <translation>Kunden neu zuordnen</translation>
    </message>
    <message>
        <source>Reassign {count}</source>
        <translation>{count} neu zuordnen</translation>
    </message>
    <message>
        <source>Reassigning…</source>
        <translation>Wird neu zugeordnet…</translation>
    </message>
    <message>
        <source> and {number} more</source>
        <translation> und {number} weitere</translation>
    </message>
    <message>
        <source>Customers</source>
        <translation>Kunden</translation>
    </message>
    <message>
        <source>New owner</source>
        <translation>Neuer Betreuer</translation>
    </message>
    <message>
        <source>People of your region.</source>
        <translation>Personen Ihrer Region.</translation>
    </message>
    <message>
        <source>Loading people…</source>
        <translation>Personen werden geladen…</translation>
    </message>
    <message>
        <source>The people could not be loaded: {e}</source>
        <translation>Die Personen konnten nicht geladen werden: {e}</translation>
    </message>
    <message>
        <source>Choose the new owner.</source>
        <translation>Wählen Sie den neuen Betreuer.</translation>
    </message>
</context>
<context>
    <name>stewardship.reveal</name>
    <message>
        <source>the customer</source>
        <translation>den Kunden</translation>
    </message>
</context>
<context>
    <name>stewardship.roi_dialog</name>
    <message>
        <source>Covers per day</source>
        <translation>Essen pro Tag</translation>
    </message>
    <message>
        <source>Days open per month</source>
        <translation>Öffnungstage pro Monat</translation>
    </message>
    <message>
        <source>Minutes saved per cover</source>
        <translation>Eingesparte Minuten pro Essen</translation>
    </message>
    <message>
        <source>Labour cost € / hour</source>
        <translation>Personalkosten € / Stunde</translation>
    </message>
    <message>
        <source>Edit ROI scenario</source>
        <translation>ROI-Szenario bearbeiten</translation>
    </message>
    <message>
        <source>New ROI scenario</source>
        <translation>Neues ROI-Szenario</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Speichern</translation>
    </message>
    <message>
        <source>Create scenario</source>
        <translation>Szenario anlegen</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Wird gespeichert…</translation>
    </message>
    <message>
        <source>e.g. Convenience-Linie 180 Essen/Tag</source>
        <translation>z. B. Convenience-Linie 180 Essen/Tag</translation>
    </message>
    <message>
        <source>Name *</source>
        <translation>Name *</translation>
    </message>
    <message>
        <source>Assumptions version</source>
        <translation>Version der Annahmen</translation>
    </message>
    <message>
        <source>Use</source>
        <translation>Übernehmen</translation>
    </message>
    <message>
        <source>Set the savings to the figure the assumptions give</source>
        <translation>Einsparung auf den Wert aus den Annahmen setzen</translation>
    </message>
    <message>
        <source>Savings € / month</source>
        <translation>Einsparung € / Monat</translation>
    </message>
    <message>
        <source>assumptions give {computed}</source>
        <translation>laut Annahmen {computed}</translation>
    </message>
    <message>
        <source>Name the scenario.</source>
        <translation>Geben Sie dem Szenario einen Namen.</translation>
    </message>
    <message>
        <source>Saving the ROI scenario…</source>
        <translation>ROI-Szenario wird gespeichert…</translation>
    </message>
</context>
<context>
    <name>stewardship.undo</name>
    <message>
        <source>Finding what to undo…</source>
        <translation>Rückgängig zu Machendes wird gesucht…</translation>
    </message>
    <message>
        <source>Nothing to undo: you have no change set that can still be undone.</source>
        <translation>Nichts rückgängig zu machen: Sie haben keinen Änderungssatz, der sich noch zurücknehmen lässt.</translation>
    </message>
    <message>
        <source>Nothing to undo</source>
        <translation>Nichts rückgängig zu machen</translation>
    </message>
    <message>
        <source>You have no bulk change that can still be undone.</source>
        <translation>Sie haben keine Sammeländerung, die sich noch zurücknehmen lässt.</translation>
    </message>
    <message>
        <source>{kind}{who}, {created_at}: {summary}. Undo sets them back to what they were before, as a new change set (which can be undone too). Values someone changed since stay as they are.</source>
        <translation>{kind}{who}, {created_at}: {summary}. Rückgängig setzt sie auf den vorherigen Stand zurück, als neuer Änderungssatz (der sich ebenfalls zurücknehmen lässt). Werte, die seither jemand geändert hat, bleiben, wie sie sind.</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Rückgängig</translation>
    </message>
    <message>
        <source>Undo “{description}”?</source>
        <translation>„{description}“ rückgängig machen?</translation>
    </message>
    <message>
        <source>Undoing “{description}”…</source>
        <translation>„{description}“ wird rückgängig gemacht…</translation>
    </message>
    <message>
        <source>Undoing…</source>
        <translation>Wird rückgängig gemacht…</translation>
    </message>
    <message>
        <source>Undone: {changed} value set back.</source>
        <translation>Rückgängig gemacht: {changed} Wert zurückgesetzt.</translation>
    </message>
    <message>
        <source>Undone: {changed} values set back.</source>
        <translation>Rückgängig gemacht: {changed} Werte zurückgesetzt.</translation>
    </message>
    <message>
        <source>… and {number} more.</source>
        <translation>… und {number} weitere.</translation>
    </message>
    <message>
        <source>Undone, with exceptions</source>
        <translation>Rückgängig gemacht, mit Ausnahmen</translation>
    </message>
    <message>
        <source>{text} {number} were left as they are:</source>
        <translation>{text} {number} blieben unverändert:</translation>
    </message>
    <message>
        <source> {number} left as they are (changed since).</source>
        <translation> {number} unverändert (seither geändert).</translation>
    </message>
    <message>
        <source> Ctrl+Z redoes it.</source>
        <translation> Strg+Z stellt es wieder her.</translation>
    </message>
    <message>
        <source>The undo</source>
        <translation>Das Rückgängigmachen</translation>
    </message>
</context>
<context>
    <name>stewardship.words</name>
    <message>
        <source>Bulk edit</source>
        <translation>Sammelbearbeitung</translation>
    </message>
    <message>
        <source>Paste</source>
        <translation>Einfügen</translation>
    </message>
    <message>
        <source>Reassignment</source>
        <translation>Neuzuordnung</translation>
    </message>
    <message>
        <source>Restore from history</source>
        <translation>Aus dem Verlauf wiederherstellen</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Rückgängig</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>Import</translation>
    </message>
    <message>
        <source>Merge</source>
        <translation>Zusammenführung</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>City</source>
        <translation>Ort</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>Region</translation>
    </message>
    <message>
        <source>Coverage</source>
        <translation>Betreuungsmodell</translation>
    </message>
    <message>
        <source>Chain</source>
        <translation>Kette</translation>
    </message>
    <message>
        <source>External reference</source>
        <translation>Externe Referenz</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>Betreuer</translation>
    </message>
    <message>
        <source>changed since</source>
        <translation>seither geändert</translation>
    </message>
    <message>
        <source>restricted field (chain managers and admins)</source>
        <translation>geschütztes Feld (Kettenbetreuung und Administration)</translation>
    </message>
    <message>
        <source>outside your scope</source>
        <translation>außerhalb Ihres Bereichs</translation>
    </message>
    <message>
        <source>Undone</source>
        <translation>Rückgängig gemacht</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Erledigt</translation>
    </message>
    <message>
        <source>Partial (stopped)</source>
        <translation>Teilweise (gestoppt)</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>Läuft</translation>
    </message>
    <message>
        <source>{n} value</source>
        <translation>{n} Wert</translation>
    </message>
    <message>
        <source>{n} values</source>
        <translation>{n} Werte</translation>
    </message>
    <message>
        <source> of {n} customer</source>
        <translation> bei {n} Kunden</translation>
    </message>
    <message>
        <source> of {n} customers</source>
        <translation> bei {n} Kunden</translation>
    </message>
    <message>
        <source>, {refused} refused</source>
        <translation>, {refused} abgelehnt</translation>
    </message>
    <message>
        <source>someone no longer listed</source>
        <translation>jemand, der nicht mehr geführt wird</translation>
    </message>
    <message>
        <source>a customer you cannot see</source>
        <translation>ein Kunde, den Sie nicht sehen</translation>
    </message>
</context>
<context>
    <name>widgets</name>
    <message>
        <source>Any</source>
        <translation>Alle</translation>
    </message>
</context>
</TS>
