import { join } from "node:path";
import express, { Router, type Response } from "express";
import { packageRoot } from "../config/package-root.js";

/**
 * The dashboard's page and assets: plain HTML, CSS and ES modules served from the package's dashboard/ folder as
 * they are (no build step), at / and /dashboard/…. They hold no data, so they need no key; every answer says the
 * page may load and reach nothing but this server.
 */
const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

function secured(res: Response): void {
  res.set({ "Content-Security-Policy": contentSecurityPolicy, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY" });
}

export function dashboardFolder(): string {
  return join(packageRoot(), "dashboard");
}

export function dashboardRouter(folder: string = dashboardFolder()): Router {
  const router = Router();
  router.get("/", (_req, res) => {
    secured(res);
    res.set("Cache-Control", "no-cache");
    res.sendFile(join(folder, "index.html"));
  });
  router.use(
    "/dashboard",
    (_req, res, next) => {
      secured(res);
      next();
    },
    express.static(folder, { index: false, dotfiles: "ignore", setHeaders: (res) => res.setHeader("Cache-Control", "no-cache") }),
  );
  return router;
}
