"""Drives /activate in headless Chromium (Selenium), as a new hire would.

Reads a JSON object on stdin: url (the invite link), password, javascript (bool),
code (typed by hand when javascript is off), screenshot (a path, or null).
Prints a JSON object of what the browser saw.
"""
import json
import sys

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

args = json.load(sys.stdin)
options = Options()
options.binary_location = "/usr/bin/chromium"
for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=412,915"):
    options.add_argument(flag)
options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
if not args["javascript"]:
    options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
driver.set_page_load_timeout(20)
result = {}
try:
    driver.get(args["url"])
    WebDriverWait(driver, 10).until(expected_conditions.presence_of_element_located((By.ID, "code")))
    result["username_field"] = driver.find_element(By.ID, "username").get_attribute("value")
    result["code_field"] = driver.find_element(By.ID, "code").get_attribute("value")
    result["address_after_load"] = driver.current_url
    if args["javascript"]:
        # The script put the focus on the password field: type from there, keyboard only.
        result["focused"] = driver.switch_to.active_element.get_attribute("id")
    else:
        driver.find_element(By.ID, "username").send_keys("")
        driver.switch_to.active_element.send_keys(Keys.TAB + args["code"])
        driver.switch_to.active_element.send_keys(Keys.TAB)
        result["focused"] = driver.switch_to.active_element.get_attribute("id")
    if args.get("screenshot"):
        driver.save_screenshot(args["screenshot"])
    active = driver.switch_to.active_element
    active.send_keys(args["password"] + Keys.TAB)
    driver.switch_to.active_element.send_keys(args["password"] + Keys.ENTER)
    WebDriverWait(driver, 10).until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, ".success")))
    result["heading"] = driver.find_element(By.TAG_NAME, "h1").text
    result["account_link"] = len(driver.find_elements(By.CSS_SELECTOR, "a[href='/account']")) == 1
    # Console errors, a Content-Security-Policy violation among them (the favicon's 404 aside).
    result["console_errors"] = [
        entry["message"] for entry in driver.get_log("browser")
        if entry["level"] == "SEVERE" and "favicon.ico" not in entry["message"]
    ]
finally:
    driver.quit()
print(json.dumps(result))
