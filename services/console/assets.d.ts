/** The built console (index.html, app.js, app.css), which the API serves at /console. */
export declare const consoleAssetsDir: string;
