"""Drives /account and /admin in headless Chromium (Selenium), as employees would.

Reads a JSON object on stdin: journey ("account", "governance" or "helpdesk"), base
(the HTTP port's URL), the journey's users and passwords, and screenshots (a folder,
or null). Prints a JSON object of what the browsers saw. Forms are filled and sent
with the keyboard alone (typing, Tab, Enter); codes come from pyotp, with the secret
read from the page as a person would type it into an app.
"""
import json
import os
import sys
import time

import pyotp
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait


def page_wait(driver, seconds=10):
    """A wait that reads the page again when it was replaced under it (a form's POST,
    then its redirect): an element found on the old page is stale, not an answer."""
    return WebDriverWait(driver, seconds, ignored_exceptions=[NoSuchElementException, StaleElementReferenceException])

args = json.load(sys.stdin)
result = {}
drivers = []


def browser():
    options = Options()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=412,915"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(20)
    drivers.append(driver)
    return driver


def wait_for(driver, selector):
    return page_wait(driver).until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, selector)))


def shot(driver, name):
    if args.get("screenshots"):
        # The whole page, not just the phone-sized window.
        height = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(412, max(915, height))
        driver.save_screenshot(os.path.join(args["screenshots"], name))
        driver.set_window_size(412, 915)


def type_into(driver, element_id, text, enter=False):
    field = driver.find_element(By.ID, element_id)
    field.send_keys(text + (Keys.ENTER if enter else ""))


def press(driver, element_id):
    """Focuses a button by keyboard and presses Enter on it."""
    driver.find_element(By.ID, element_id).send_keys(Keys.ENTER)


def sign_in(driver, home, user, password, screenshot=None):
    driver.get(args["base"] + home)
    wait_for(driver, "#username")
    if screenshot:
        shot(driver, screenshot)
    type_into(driver, "username", user)
    driver.switch_to.active_element.send_keys(Keys.TAB + password + Keys.ENTER)


def sign_out(driver):
    driver.find_element(By.CSS_SELECTOR, "form[action='/account/signout'] button").send_keys(Keys.ENTER)
    wait_for(driver, "a.button[href='/account']")


def heading(driver):
    return driver.find_element(By.TAG_NAME, "h1").text


def console_errors(driver):
    return [entry["message"] for entry in driver.get_log("browser")
            if entry["level"] == "SEVERE" and "favicon.ico" not in entry["message"]]


def account_journey():
    driver = browser()
    driver.get(args["link"])
    wait_for(driver, "#password")
    page_wait(driver).until(lambda d: d.find_element(By.ID, "code").get_attribute("value"))
    type_into(driver, "password", args["password"])
    driver.switch_to.active_element.send_keys(Keys.TAB + args["password"] + Keys.ENTER)
    wait_for(driver, ".success")
    driver.find_element(By.CSS_SELECTOR, "a[href='/account']").send_keys(Keys.ENTER)
    sign_in(driver, "/account", args["user"], args["password"], screenshot="signin.png")
    wait_for(driver, "#mfa-enrol")
    result["signed_in_heading"] = heading(driver)
    shot(driver, "account.png")
    press(driver, "mfa-enrol")
    secret = wait_for(driver, "#mfa-secret").text
    result["qr_code"] = len(driver.find_elements(By.CSS_SELECTOR, "svg.qr path")) == 1
    shot(driver, "mfa-setup.png")
    type_into(driver, "otp", pyotp.TOTP(secret).now(), enter=True)
    wait_for(driver, "#recovery-codes")
    result["recovery_codes"] = len(driver.find_elements(By.CSS_SELECTOR, "#recovery-codes li"))
    shot(driver, "mfa-recovery.png")
    driver.find_element(By.CSS_SELECTOR, "a.button[href='/account']").send_keys(Keys.ENTER)
    wait_for(driver, "#disable-otp")
    sign_out(driver)
    result["after_sign_out"] = heading(driver)
    sign_in(driver, "/account", args["user"], args["password"])
    wait_for(driver, "#otp")
    result["code_asked"] = True
    shot(driver, "signin-code.png")
    # The code of the next step: the one of this step was spent on confirming.
    type_into(driver, "otp", pyotp.TOTP(secret).at(time.time() + 30), enter=True)
    wait_for(driver, "#current")
    result["mfa_sign_in_heading"] = heading(driver)
    type_into(driver, "current", args["password"])
    driver.switch_to.active_element.send_keys(Keys.TAB + args["new_password"])
    driver.switch_to.active_element.send_keys(Keys.TAB + args["new_password"] + Keys.ENTER)
    wait_for(driver, ".success")
    result["password_changed_heading"] = heading(driver)
    driver.get(args["base"] + "/account")
    result["after_password_change_signed_out"] = len(driver.find_elements(By.ID, "username")) == 1
    result["console_errors"] = console_errors(driver)


def governance_journey():
    requester = browser()
    sign_in(requester, "/account", args["requester"], args["password"])
    wait_for(requester, "#role")
    type_into(requester, "role", args["role"])
    requester.find_element(By.ID, "reason").send_keys("Month-end close" + Keys.ENTER)
    notice = wait_for(requester, "#notice").text
    result["request_notice"] = notice
    number = notice.split("#")[1].split(" ")[0]
    shot(requester, "account-request.png")

    approver = browser()
    sign_in(approver, "/account", args["approver"], args["password"])
    wait_for(approver, "#approve-" + number)
    shot(approver, "approvals.png")
    approver.find_element(By.ID, "decide-reason-" + number).send_keys("Approved for the close")
    press(approver, "approve-" + number)
    result["approve_notice"] = wait_for(approver, "#notice").text

    reviewer = browser()
    sign_in(reviewer, "/account", args["reviewer"], args["password"])
    item = "%s-1" % args["review"]
    wait_for(reviewer, "#keep-" + item)
    shot(reviewer, "review.png")
    reviewer.find_element(By.ID, "review-reason-" + item).send_keys("Still on the team")
    press(reviewer, "keep-" + item)
    result["review_notice"] = wait_for(reviewer, "#notice").text
    result["console_errors"] = console_errors(requester) + console_errors(approver) + console_errors(reviewer)


def helpdesk_journey():
    employee = browser()
    sign_in(employee, "/account", args["employee"], args["password"])
    wait_for(employee, "#mfa-enrol")

    desk = browser()
    sign_in(desk, "/admin", args["helpdesk"], args["password"])
    wait_for(desk, "#prefix")
    type_into(desk, "prefix", args["employee"][:4], enter=True)
    wait_for(desk, "#users")
    shot(desk, "admin-search.png")
    desk.find_element(By.LINK_TEXT, args["employee"]).send_keys(Keys.ENTER)
    wait_for(desk, "#user-status")
    result["status_before"] = desk.find_element(By.ID, "user-status").text
    shot(desk, "admin-user.png")
    type_into(desk, "reason", "Left the company", enter=True)
    page_wait(desk).until(lambda d: d.find_element(By.ID, "user-status").text == "disabled")
    result["status_after"] = desk.find_element(By.ID, "user-status").text
    result["disable_notice"] = desk.find_element(By.ID, "notice").text

    employee.refresh()
    wait_for(employee, "#username")
    result["employee_signed_out"] = len(employee.find_elements(By.ID, "mfa-enrol")) == 0
    result["console_errors"] = console_errors(employee) + console_errors(desk)


try:
    {"account": account_journey, "governance": governance_journey, "helpdesk": helpdesk_journey}[args["journey"]]()
finally:
    for driver in drivers:
        driver.quit()
print(json.dumps(result))
